import Archive
import ArchiveStore
import ArgumentParser
import ConsoleKitTerminal
import DiscordModels
import DiscordREST
import FileSafety
import Foundation
import ObjectStore
import SQLiteStore
import SkaldConfiguration
import Synchronization

/// `skald store put`.
struct StorePut: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put", abstract: "Upload files or folders (each file an object) to a channel.",
        discussion: """
            A folder's files keep their paths below it in their names (`photos/2026/a.jpg`), and `get` writes them \
            back below --out. Several files go up at once (--parallel), sharing --messages-in-flight chunk \
            messages per channel. With --channel repeated, chunk messages take turns over the channels (each has \
            its own rate limit); manifests go to the first.
            """)
    @Argument(help: "Files or folders.") var paths: [String]
    @Option(
        name: .customLong("channel"),
        help: "The channel to keep the chunks in (repeat it to spread chunk messages over several channels).")
    var channels: [Snowflake<Channel>]
    @Option(name: .customLong("name"), help: "The stored name (one file only).") var name: String?
    @Option(name: .customLong("parallel"), help: "Files uploaded at once.") var parallel = 4
    @OptionGroup var options: StoreOptions

    func validate() throws {
        guard (1...64).contains(parallel) else { throw ValidationError("--parallel must be 1...64") }
        guard !channels.isEmpty else { throw ValidationError("--channel is required") }
        guard Set(channels).count == channels.count else { throw ValidationError("a --channel is repeated") }
        if let name {
            // `get` writes a name below its --out folder: a name must be a relative path it can write there.
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            guard !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
                throw ValidationError(
                    "--name \"\(name)\" is not a name to store: give a relative path such as photos/a.jpg, without "
                        + "empty, . or .. parts")
            }
        }
    }

    /// A file to store and its stored name.
    struct Source: Sendable {
        var path: String
        var name: String
        var size: Int64
    }

    func run() async throws {
        let sources = try Self.sources(paths, name: name) { path, why in
            Console.error("skipped ".consoleText(.warning) + "\(path): \(why)".consoleText(), .detect())
        }
        let passphrase = try options.passphrase()
        let progress = StoreProgressObserver(mode: .detect(), enabled: options.progress)
        progress.plan(files: sources.count, bytes: sources.reduce(0) { $0 + $1.size })
        let (options, channels, parallel) = (options, channels, parallel)
        let stored = Mutex(0)
        do {
            // SIGINT/SIGTERM stop the upload between recorded messages (before, the process died without a word).
            try await Interruption.runOrStop {
                try await options.withEngine(onPosted: progress.posted, mustExist: false) { engine, _ in
                    try await BoundedConcurrency.forEach(sources, width: parallel) { source in
                        try await engine.put(
                            path: source.path, channels: channels, name: source.name, passphrase: passphrase)
                    } collect: { _, entry in
                        stored.withLock { $0 += 1 }
                        progress.finished(
                            "\(entry.archiveId)  \(entry.objectId)  \(entry.name)  \(entry.size) bytes")
                    }
                }
            } kept: { _ in
                progress.finish()
                return "every chunk message posted so far is recorded (\(stored.withLock { $0 }) of \(sources.count) "
                    + "file(s) stored, listed above); run the same command again (or `skald store resume`): it posts "
                    + "only the chunks the catalogue lacks"
            }
        } catch let error as ArchiveStoreError {
            // A second `put` would post every chunk again as a new object: the catalogue's objects started finish
            // through `resume`.
            let message = error.fullMessage(
                rerun: "run `skald store resume`",
                then: "it posts only the chunks the catalogue lacks; then put again the files `skald store ls` "
                    + "does not list")
            throw message.map { CommandFailure.Message("archive: " + $0) } ?? error
        }
        progress.finish()
    }

    /// The files the arguments name, with their stored names: a file by its name (or `--name`), a folder's files
    /// by the folder's name and their path below it, in path order. Only regular files are stored: in a folder, a
    /// symbolic link (it may lead outside the folder) and a device, socket or pipe are left out and told to
    /// `skipped`; named on its own, a link is followed and a device, socket or pipe refused.
    ///
    /// Before, a pipe in a folder was opened for reading and `put` waited for a writer for ever (SIGTERM did not end
    /// it), and a link to `/etc/passwd` inside a folder was uploaded as the folder's file.
    static func sources(_ paths: [String], name: String?, skipped: (String, String) -> Void = { _, _ in }) throws
        -> [Source]
    {
        var sources: [Source] = []
        for path in paths {
            var kind = FileDestination.kind(at: path)
            var readFrom = path
            if case .symbolicLink = kind {
                // Named on its own: its target is what the user means (read, and sized, there).
                readFrom = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
                kind = FileDestination.kind(at: readFrom)
            }
            switch kind {
            case .missing, .symbolicLink:  // still a link once resolved: it leads nowhere
                throw CommandFailure.Message("\(path) does not exist")
            case .special:
                throw CommandFailure.Message(
                    "\(path) is a device, socket or pipe, not a file: `store put` keeps regular files (copy what it "
                        + "gives into a file and store that)")
            case .regularFile:
                sources.append(
                    Source(
                        path: readFrom, name: URL(fileURLWithPath: path).lastPathComponent, size: size(of: readFrom)))
            case .folder:
                let base = URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
                var found: [Source] = []
                let enumerator = FileManager.default.enumerator(atPath: readFrom)
                while let relative = enumerator?.nextObject() as? String {
                    let full = (readFrom as NSString).appendingPathComponent(relative)
                    switch FileDestination.kind(at: full) {
                    case .regularFile:
                        found.append(Source(path: full, name: base + "/" + relative, size: size(of: full)))
                    case .symbolicLink(let toFolder):
                        skipped(
                            full,
                            "a symbolic link\(toFolder ? " to a folder" : ""): it may lead outside the folder; name "
                                + "its target to store it")
                    case .special:
                        skipped(full, "a device, socket or pipe, not a file")
                    case .folder, .missing:
                        break
                    }
                }
                guard !found.isEmpty else {
                    throw CommandFailure.Message("the folder \(path) holds no files: there is nothing to store")
                }
                sources += found.sorted { $0.name < $1.name }
            }
        }
        if let name {
            guard sources.count == 1 else { throw CommandFailure.Message("--name needs exactly one file") }
            sources[0].name = name
        }
        return sources
    }

    static func size(of path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
