import DiscordModels
import Foundation

extension WindowedExporter {
    /// A file of a windowed export that ``repair(channel:in:)`` wrote again from the archive.
    public struct RepairedFile: Sendable {
        /// Its path, relative to the channel's folder.
        public var path: String
        /// What was wrong with it (missing, or other bytes than the manifest's).
        public var problem: String
        /// The messages it holds now.
        public var messages: Int
    }

    /// Writes again, from the archive and with these options, every file of `channel`'s windowed export under
    /// `root` that is missing or differs from its manifest entry: the same path and message range, then the
    /// manifest's hash and size and the state's counts. Files that match are not touched.
    /// - Returns: the files rewritten (none when the export is sound or was never written).
    public func repair(channel: UInt64, in root: String) async throws -> [RepairedFile] {
        let directory = Self.channelDirectory(root, channel: channel)
        guard var manifest = try ExportManifest.load(channelDirectory: directory) else { return [] }
        var state = try ExportState.load(channelDirectory: directory)
        var damaged: [(index: Int, problem: String)] = []
        for (index, entry) in manifest.files.enumerated() {
            if let problem = try entry.fileProblem(channelDirectory: directory) { damaged.append((index, problem)) }
        }
        guard !damaged.isEmpty else { return [] }
        let (exporter, renderer, info) = try await rendering(channel: channel)
        let stamp = options.timeZone.format(options.now())
        var repaired: [RepairedFile] = []
        for (index, problem) in damaged {
            let entry = manifest.files[index]
            guard let low = entry.minId.flatMap(UInt64.init), let high = entry.maxId.flatMap(UInt64.init) else {
                throw ExportError.missing(
                    "\(problem), and the manifest records no message range for it: export the channel again into "
                        + "a new folder")
            }
            // The range the run that wrote the file asked for: the backfill's --after, or for an incremental
            // file the high-water mark before its run (the newest message of the files below it).
            let after =
                entry.kind == "incremental"
                ? manifest.files.compactMap { $0.maxId.flatMap(UInt64.init) }.filter { $0 < low }.max()
                : state?.after.flatMap(UInt64.init)
            var stream = ChannelMessageStream(
                store: store, channel: Snowflake(channel), after: low - 1,
                before: high == .max ? nil : high + 1, includeDeleted: options.includeDeleted)
            var document = try OpenDocument(
                path: directory + "/" + entry.path, channelId: channel, format: exporter.makeFormat(),
                header: exporter.documentHeader(info, after: after, before: options.before))
            let file: ExportedFile
            do {
                while let (id, message) = try await stream.next() {
                    try Task.checkCancellation()  // SIGINT: the half-written file is removed below
                    try await document.write(message, id: id, renderer: renderer)
                }
                file = try document.finish()
            } catch {
                document.abandon()
                throw error
            }
            manifest.files[index].facts = file.facts
            manifest.files[index].writtenAt = stamp
            if let window = state?.windows.firstIndex(where: { $0.key == entry.window }) {
                state?.windows[window].messageCount += file.messageCount - entry.messageCount
            }
            repaired.append(RepairedFile(path: entry.path, problem: problem, messages: file.messageCount))
        }
        try manifest.save(channelDirectory: directory)
        try state?.save(channelDirectory: directory)
        return repaired
    }
}
