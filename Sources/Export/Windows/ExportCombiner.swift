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
        // Checked before the first byte is written: before, a damaged or edited file went into the combined
        // document unnoticed (and a missing one stopped it half-way).
        for entry in entries {
            if let problem = try entry.fileProblem(channelDirectory: directory) {
                throw ExportError.io(
                    "cannot combine channel \(channel): \(problem); nothing was written. `skald verify --out \(root) "
                        + "--channel \(channel)` lists every problem; "
                        + ExportVerifier.repairAdvice(root: root, channel: channel))
            }
        }
        let sink = try FileSink(path: output)
        var format = JSONDocumentFormat(newline: newline)
        var count = 0
        var seen = Set<UInt64>()
        var wroteHeader = false
        do {
            for entry in entries {
                var scanner = try DCEFileScanner(path: directory + "/" + entry.path)
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
