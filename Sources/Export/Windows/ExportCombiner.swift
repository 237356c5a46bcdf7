import DiscordModels
import Foundation

/// Joins a windowed export's files into one DCE JSON document (`skald combine`), streaming.
public struct ExportCombiner: Sendable {
    /// The root.
    public let root: String
    /// Drop repeated message ids.
    public var dedupe = false
    /// Include files whose messages another file owns.
    public var includeUnowned = false
    /// The newline.
    public var newline = "\n"

    /// A combiner of the export under `root`.
    public init(root: String) { self.root = root }

    /// Writes the channel's files, ordered by first message id, into `output`.
    /// - Returns: the number of messages written.
    @discardableResult
    public func combine(channel: UInt64, into output: String) throws -> Int {
        let directory = WindowedExporter.channelDirectory(root, channel: channel)
        guard let manifest = try ExportManifest.load(channelDirectory: directory) else {
            throw ExportError.missing(
                "no manifest for channel \(channel) under \(root): check --out and --channel (`skald export --window` "
                    + "writes it)")
        }
        let entries = manifest.files.filter { $0.owns || includeUnowned }
            .sorted { (UInt64($0.minId ?? "") ?? 0, $0.path) < (UInt64($1.minId ?? "") ?? 0, $1.path) }
        // Each file is checked against the manifest before the combined document is put in place: before, a damaged
        // or edited file went into it unnoticed (and a missing one stopped it half-way). A file's hash is taken as its
        // messages are read (one read per file), and the first file, in order, that is missing or differs abandons
        // the document, which stays a temporary until the last file passed.
        func refusal(_ problem: String) -> ExportError {
            ExportError.io(
                "cannot combine channel \(channel): \(problem); nothing was written. `skald verify --out \(root) "
                    + "--channel \(channel)` lists every problem; "
                    + ExportVerifier.repairAdvice(root: root, channel: channel))
        }
        let sink = try FileSink(path: output)
        var format = JSONDocumentFormat(newline: newline)
        var count = 0
        var seen = Set<UInt64>()
        var wroteHeader = false
        do {
            for entry in entries {
                let facts: (hash: String, bytes: Int)?
                do {
                    var scanner = try DCEFileScanner(path: directory + "/" + entry.path, hashing: true)
                    defer { scanner.close() }
                    if !wroteHeader {
                        let header = JSONValue.object(scanner.header)
                        try sink.write(
                            format.preamble(
                                DocumentHeader(
                                    guild: header["guild"] ?? .null, channel: header["channel"] ?? .null,
                                    after: header["dateRange"]?["after"]?.string,
                                    before: header["dateRange"]?["before"]?.string,
                                    exportedAt: header["exportedAt"]?.string ?? "")))
                        wroteHeader = true
                    }
                    while let message = try scanner.next() {
                        if dedupe, let id = message["id"]?.uint64, !seen.insert(id).inserted { continue }
                        try sink.write(format.message(message, index: count))
                        count += 1
                    }
                    facts = try scanner.readToEnd()
                } catch let error as ExportError {
                    // A file missing, or no document: said as the manifest sees it when its bytes are not the
                    // recorded ones (this failure's second read), else as the scan found it.
                    if let problem = try entry.fileProblem(channelDirectory: directory) { throw refusal(problem) }
                    throw error
                }
                if let facts, let problem = entry.fileProblem(sha256: facts.hash, bytes: facts.bytes) {
                    throw refusal(problem)
                }
            }
            if !wroteHeader {
                throw ExportError.missing("channel \(channel) has no files to combine")
            }
            try sink.write(format.postamble(messageCount: count))
            _ = try sink.commit()
        } catch {
            sink.abandon()
            throw error
        }
        return count
    }
}
