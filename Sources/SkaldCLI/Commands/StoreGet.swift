import ArchiveStore
import ArgumentParser
import DiscordModels
import DiscordREST
import Foundation
import ObjectStore
import SQLiteStore
import SkaldConfiguration
import Synchronization

/// `skald store get`.
struct StoreGet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Download objects by id, name or #archive id into a folder.")
    @Argument(help: "Object ids, names or #DDMMYY-NN archive ids.") var keys: [String]
    @Option(name: .customLong("out"), help: "The folder to write into.") var out: String = "."
    @Option(name: .customLong("range"), help: "Only bytes START-END (inclusive).") var range: String?
    @OptionGroup var options: StoreOptions

    func validate() throws { _ = try bounds() }

    /// `--range` as bytes; a malformed one is a usage error.
    func bounds() throws -> ClosedRange<Int64>? {
        guard let range else { return nil }
        let parts = range.split(separator: "-", omittingEmptySubsequences: false).map { Int64($0) }
        guard parts.count == 2, let start = parts[0], let end = parts[1], start <= end else {
            throw ValidationError(
                "--range \(range): write START-END with START <= END, bytes counted from 0, e.g. 0-1023")
        }
        return start...end
    }

    func run() async throws {
        let bounds = try bounds()
        let passphrase = try options.passphrase()
        let (options, keys, out, range) = (options, keys, out, bounds)
        // Each file is said once complete, so an interrupted download has said what it kept.
        let done = Mutex(0)
        try await Interruption.runOrStop {
            try await options.withEngine { engine, store in
                let entries = try await store.catalogueObjects()
                // Each object on its own: a damaged or unknown one does not keep the others from being written.
                var failures: [String] = []
                for key in keys {
                    do {
                        let entry = try StoreOptions.find(key, in: entries)
                        let path = try await engine.get(entry, into: out, range: range, passphrase: passphrase)
                        Console.out(path)
                        done.withLock { $0 += 1 }
                    } catch let error as ObjectStoreError where keys.count > 1 {
                        failures.append(error.message)
                        Console.out("FAILED  \(key)")
                    }
                }
                if !failures.isEmpty {
                    throw CommandFailure.Message(
                        "\(failures.count) of \(keys.count) objects could not be written: "
                            + failures.joined(separator: "; "))
                }
            }
        } kept: { _ in
            "\(done.withLock { $0 }) of \(keys.count) file(s) were downloaded (listed above); a file being downloaded "
                + "when the signal came was removed. Run the same command again: the files already complete are kept "
                + "(their SHA-256 is checked) and the others downloaded"
        }
    }
}
