import ArchiveStore
import DiscordModels
import FileSafety
import Foundation

/// Imports DiscordChatExporter JSON files (2.2x–2.47, pretty or not, BOM or not) into the archive, streaming each
/// file message by message. A file commits in one transaction or not at all: its messages are staged while the
/// file is read and merged by id only once the whole file has parsed.
///
/// Refused, with the file and byte position: a message id that is not a 64-bit snowflake (negative, too large, not
/// a number), and a key repeated in one JSON object (DCE never writes one; which value would be the message's?).
/// A file with no messages is imported (its channel and guild) and reported by `skald import`.
///
/// ```swift
/// let outcomes = try await DCEImporter(store: store).importPaths(["exports/"])
/// ```
public struct DCEImporter: Sendable {
    /// The result of importing one file.
    public struct Outcome: Sendable {
        /// The path.
        public var path: String
        /// Messages read from the file.
        public var messages: Int
        /// What the merge changed; `nil` when the file failed.
        public var result: ImportResult?
        /// Why the file was not imported.
        public var error: String?
        /// The local media paths of a `--media` export: how many were found for the archive.
        public var media = MediaLinks()
    }

    /// What became of the local paths a `--media` export links its assets with (attachments, avatars, emoji, …).
    public struct MediaLinks: Sendable {
        /// Distinct local paths met.
        public var linked = 0
        /// Files copied into the media folder (``DCEImporter/mediaRoot``).
        public var copied = 0
        /// Local paths that named no file, as the export wrote them (kept as links to where they should be).
        public var missing: [String] = []
    }

    /// The store.
    public let store: any ArchiveStore
    /// Messages staged per store call (one call is written while the next batch is read).
    public var batchSize = 2_000
    /// The archive's media folder: set, the files a `--media` export links to are copied into it (named by their
    /// content, as `skald archive --media` names downloads) and the archive links them there; nil, it links them
    /// where they are (their absolute paths, resolved against the export file's folder).
    public var mediaRoot: String?

    /// An importer into `store`.
    public init(store: any ArchiveStore) { self.store = store }

    /// Imports files and folders (folders: every `.json` file below, in name order). A failing file is reported in
    /// its outcome and the others still import. `imported` gets each file's outcome once it is committed (or
    /// failed), with the number of files in all.
    /// - Throws: `CancellationError` when the task is cancelled: between two files, or during one, whose
    ///   transaction then rolls back (every file is whole or absent).
    public func importPaths(
        _ paths: [String], imported: (_ outcome: Outcome, _ files: Int) -> Void = { _, _ in }
    ) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        let (files, pipes) = try Self.expand(paths)
        for pipe in pipes {
            // Opened, a pipe waits for a writer: before, the import stopped there for ever.
            let outcome = Outcome(
                path: pipe, messages: 0, result: nil,
                error: "\(pipe): a device, socket or pipe in the folder, not a file: left out (name it on its own to "
                    + "read it)")
            outcomes.append(outcome)
            imported(outcome, files.count + pipes.count)
        }
        for file in files {
            try Task.checkCancellation()
            var outcome: Outcome
            let assets = LocalAssetResolver(exportFile: file, mediaRoot: mediaRoot)
            do {
                let (count, result) = try await importFile(file, assets: assets)
                outcome = Outcome(path: file, messages: count, result: result, error: nil)
                outcome.media = MediaLinks(linked: assets.linked, copied: assets.copied, missing: assets.missing)
            } catch let error as ExportError {
                outcome = Outcome(path: file, messages: 0, result: nil, error: error.message)
            }
            outcomes.append(outcome)
            imported(outcome, files.count + pipes.count)
        }
        return outcomes
    }

    /// The files named by `paths`: files as given (a pipe too: `skald import <(zcat a.json.gz)`), folders searched
    /// recursively for `.json` files; the devices, sockets and pipes found in folders apart (never opened).
    static func expand(_ paths: [String]) throws -> (files: [String], pipes: [String]) {
        var files: [String] = []
        var pipes: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ExportError.invalidArgument("\(path): no such file or folder")
            }
            if !isDirectory.boolValue {
                files.append(path)
                continue
            }
            let enumerator = FileManager.default.enumerator(atPath: path)
            var found: [String] = []
            while let item = enumerator?.nextObject() as? String {
                // DCE's asset folders (`… .json_Files/`) hold the downloaded media, which may include a posted
                // `.json` file: not an export.
                let folders = (item as NSString).pathComponents.dropLast()
                if folders.contains(where: { $0.hasSuffix("_Files") }) { continue }
                if item.lowercased().hasSuffix(".json"), !(item as NSString).lastPathComponent.hasPrefix("."),
                    !item.contains("_state/")
                {
                    let full = (path as NSString).appendingPathComponent(item)
                    if FileDestination.kind(at: full) == .special {
                        pipes.append(full)
                    } else {
                        found.append(full)
                    }
                }
            }
            guard !found.isEmpty || !pipes.isEmpty else {
                throw ExportError.invalidArgument(
                    "\(path): no .json file in this folder or below it: Skald imports DiscordChatExporter's JSON "
                        + "exports (DCE --format Json); check the folder")
            }
            files += found.sorted()
        }
        return (files, pipes.sorted())
    }

    /// Imports one file.
    /// - Returns: the number of messages read and what the merge changed.
    /// - Throws: ``ExportError`` naming the file and, for malformed JSON, the byte position; nothing of the file
    ///   is stored then.
    @discardableResult
    public func importFile(_ path: String) async throws -> (messages: Int, result: ImportResult) {
        try await importFile(path, assets: LocalAssetResolver(exportFile: path, mediaRoot: mediaRoot))
    }

    private func importFile(_ path: String, assets: LocalAssetResolver) async throws
        -> (messages: Int, result: ImportResult)
    {
        do {
            // Straight into the archive in one transaction when the store can (each message written once); staged
            // and merged otherwise, or when the file needs it (a repeated message id, `exportedAt` after them).
            let file = try await open(path, assets: assets)
            try file.reader.readHeader()
            file.reader.startDirect()
            // Parsed on a thread of its own a few batches ahead of the store's inserts.
            let source = ReadAheadSource(file.reader)
            do {
                let direct: ImportResult?
                do {
                    direct = try await store.importDirectly(source)
                } catch {
                    source.finish()
                    throw error
                }
                source.finish()
                if let direct { return (file.reader.count, direct) }
            } catch is DCEFileReader.NeedsStaging {
                // Rolled back: read the file again, staged.
            }
            return try await importStaged(path, assets: assets)
        } catch let error as ExportError {
            // A pipe is not opened again: its writer is gone, and the open would wait for another one.
            if error.isMalformedJSON, !PipeReading.mayWait(path), Self.startsWithMarkup(path) {
                throw ExportError(
                    error.code,
                    "\(path): not a JSON file (it starts with '<': an HTML or XML page?): Skald imports "
                        + "DiscordChatExporter's JSON exports (DCE --format Json)")
            }
            throw ExportError(error.code, "\(path): \(error.message)")
        }
    }

    /// Whether the file's first byte after any whitespace is `<` (an HTML or XML page, such as DCE's HTML export):
    /// read only when the file failed to parse, to name what it is.
    private static func startsWithMarkup(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 256)) ?? Data()
        return head.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) } == UInt8(ascii: "<")
    }

    /// An opened file and its reader (the handle closes when the value is released).
    private final class OpenFile {
        let handle: FileHandle
        let reader: DCEFileReader

        init(handle: FileHandle, reader: DCEFileReader) {
            self.handle = handle
            self.reader = reader
        }

        deinit { try? handle.close() }
    }

    /// Opens `path`; a pipe or a device (`skald import PIPE`, `<(zcat a.json.gz)`) through ``PipeReading``, whose
    /// wait for a writer a signal cancels (before, a pipe nobody wrote to held `import` in `open` for ever, deaf to
    /// SIGTERM and SIGINT).
    private func open(_ path: String, assets: LocalAssetResolver) async throws -> OpenFile {
        let handle: FileHandle
        if PipeReading.mayWait(path) {
            do {
                handle = try await PipeReading.open(path)
            } catch let error as FileSafetyError {
                throw ExportError.io(error.message)
            }
        } else {
            guard let file = FileHandle(forReadingAtPath: path) else {
                throw ExportError.io("cannot read \(path): \(FileProblem.describe(errno: errno))")
            }
            handle = file
        }
        return OpenFile(
            handle: handle, reader: DCEFileReader(handle: handle, source: path, batchSize: batchSize, assets: assets))
    }

    /// Imports one file through a stage: batches are staged while the next is read, then merged in one commit.
    private func importStaged(_ path: String, assets: LocalAssetResolver) async throws
        -> (messages: Int, result: ImportResult)
    {
        let file = try await open(path, assets: assets)
        let stage = UUID()
        var staging = StagingPipeline(store: store, stage: stage)
        do {
            try file.reader.readHeader()
            while let batch = try file.reader.nextBatch() {
                try Task.checkCancellation()
                try await staging.stage(batch)
            }
            try await staging.finish()
            let result = try await store.commitImport(stage: stage, channel: try file.reader.channelHeader())
            return (file.reader.count, result)
        } catch {
            // Nothing of the file may be staged after the stage is discarded.
            await staging.drain()
            try? await store.discardImport(stage: stage)
            throw error
        }
    }

    /// What is wrong with a message's `id` that is not a 64-bit snowflake.
    static func idProblem(_ id: JSONValue?) -> String {
        guard let id else { return "has no id" }
        switch id {
        case .string(let text), .number(let text):
            return "has " + (AnySnowflake.problem(withText: text) ?? "an id")
        case .null: return "has a null id"
        default: return "has an id that is not a number or a decimal string"
        }
    }
}
