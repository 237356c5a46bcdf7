import ArchiveStore
import DiscordModels
import Foundation

/// Windowed DCE JSON exports with a manifest: the first run writes
/// `DIR/channel=<id>/backfill/dt=YYYY/MM/DD/dce-part-00000.json` per window; later runs write only messages newer
/// than the high-water mark under `DIR/channel=<id>/incremental/run=<YYYYMMDD-HHMMSS>/`. Every file is written
/// under a temporary name and renamed; the manifest and state are replaced atomically after the files.
///
/// ```swift
/// let summary = try await WindowedExporter(store: store, options: options, window: .day)
///     .export(channel: channelId, to: "exports")
/// ```
public struct WindowedExporter: Sendable {
    /// What one run wrote for a channel.
    public struct RunSummary: Sendable {
        /// The channel id.
        public var channelId: UInt64
        /// The run id.
        public var runId: String
        /// The files.
        public var files: [ExportedFile]
        /// The messages.
        public var messages: Int
        /// The high water mark.
        public var highWaterMark: UInt64?
    }

    /// The store.
    public let store: any ArchiveStore
    /// The options.
    public let options: DCEExportOptions
    /// The window.
    public let window: ExportWindow

    /// A windowed exporter; `options.format` must be JSON.
    public init(store: any ArchiveStore, options: DCEExportOptions, window: ExportWindow) {
        self.store = store
        self.options = options
        self.window = window
    }

    /// The folder of a channel's windowed export.
    public static func channelDirectory(_ root: String, channel: UInt64) -> String { root + "/channel=\(channel)" }

    /// Runs one export of `channel` into `root`: the backfill on the first run, new messages afterwards.
    public func export(channel: UInt64, to root: String) async throws -> RunSummary {
        guard options.format == .json else {
            throw ExportError.invalidArgument("--window writes DCE JSON only; use --format json")
        }
        let directory = Self.channelDirectory(root, channel: channel)
        var manifest =
            try ExportManifest.load(channelDirectory: directory) ?? ExportManifest(channelId: String(channel))
        var state =
            try ExportState.load(channelDirectory: directory)
            ?? ExportState(channelId: String(channel), window: window, after: options.after.map(String.init))
        let now = options.now()
        let runId = Self.runId(now)
        let (exporter, renderer, info) = try await rendering(channel: channel)
        let incremental = state.highWaterMark != nil
        let after = state.highWaterMark.flatMap(UInt64.init) ?? options.after
        var stream = ChannelMessageStream(
            store: store, channel: Snowflake(channel), after: after, before: options.before,
            includeDeleted: options.includeDeleted)
        let header = DocumentHeader(
            guild: info.guild, channel: info.channel,
            after: after.map { options.timeZone.format(DCETime(snowflake: $0 + 1)) },
            before: options.before.map { options.timeZone.format(DCETime(snowflake: $0)) },
            exportedAt: options.timeZone.format(now))

        var written: [(file: ExportedFile, window: String)] = []
        var current: OpenDocument?
        var currentWindow: String?
        var part = 0
        func folder(_ key: String) -> String {
            incremental ? "incremental/run=\(runId)" : "backfill/\(key)"
        }
        do {
            while let (id, message) = try await stream.next() {
                try Task.checkCancellation()  // SIGINT: the half-written file is removed below
                let key = incremental ? "run=\(runId)" : window.window(of: id).key
                var close = current != nil && key != currentWindow
                if let open = current, !close {
                    switch options.partition {
                    case .messages(let limit)?: close = open.count >= limit
                    case .bytes(let limit)?: close = open.sink.bytesWritten >= limit
                    case nil: break
                    }
                }
                if close, var open = current {
                    written.append((try open.finish(), currentWindow ?? key))
                    current = nil
                    part = key == currentWindow ? part + 1 : 0
                }
                if current == nil {
                    if key != currentWindow { part = 0 }
                    let name = String(format: "dce-part-%05d.json", part)
                    current = try OpenDocument(
                        path: "\(directory)/\(folder(key))/\(name)", channelId: channel, format: exporter.makeFormat(),
                        header: header)
                    currentWindow = key
                }
                try await current?.write(message, id: id, renderer: renderer)
            }
            if var open = current { written.append((try open.finish(), currentWindow ?? "")) }
        } catch {
            current?.abandon()
            throw error
        }

        // Manifest: new files own their messages unless an owning file already covers their range.
        let stamp = options.timeZone.format(now)
        for (file, key) in written {
            let relative = String(file.path.dropFirst(directory.count + 1))
            let low = file.minId.flatMap(UInt64.init) ?? 0
            let high = file.maxId.flatMap(UInt64.init) ?? 0
            let overlaps = manifest.files.contains { entry in
                guard entry.owns, entry.path != relative, let a = entry.minId.flatMap(UInt64.init),
                    let b = entry.maxId.flatMap(UInt64.init)
                else { return false }
                return a <= high && low <= b
            }
            manifest.files.removeAll { $0.path == relative }
            manifest.files.append(
                ExportManifest.Entry(
                    path: relative, kind: incremental ? "incremental" : "backfill", window: key, facts: file.facts,
                    owns: !overlaps, writtenAt: stamp))
        }
        try manifest.save(channelDirectory: directory)

        // State: windows, run, high-water mark.
        let newest = written.compactMap { $0.file.maxId.flatMap(UInt64.init) }.max()
        for (file, key) in written {
            let relative = String(file.path.dropFirst(directory.count + 1))
            if let index = state.windows.firstIndex(where: { $0.key == key }) {
                if !state.windows[index].files.contains(relative) { state.windows[index].files.append(relative) }
                state.windows[index].messageCount += file.messageCount
            } else {
                state.windows.append(
                    ExportState.WindowStatus(
                        key: key, status: incremental ? "incremental" : "complete", files: [relative],
                        messageCount: file.messageCount))
            }
        }
        if !incremental, let last = state.windows.lastIndex(where: { $0.status != "incremental" }) {
            state.windows[last].status = "open"
        }
        if let newest { state.highWaterMark = String(max(newest, state.highWaterMark.flatMap(UInt64.init) ?? 0)) }
        if state.highWaterMark == nil && !written.isEmpty { state.highWaterMark = "0" }
        let count = written.reduce(0) { $0 + $1.file.messageCount }
        state.runs.append(ExportState.Run(id: runId, at: stamp, messages: count, files: written.count))
        try state.save(channelDirectory: directory)
        return RunSummary(
            channelId: channel, runId: runId, files: written.map(\.file), messages: count,
            highWaterMark: state.highWaterMark.flatMap(UInt64.init))
    }

    /// What writes a channel's documents: the exporter (its format), the renderer and the channel's header objects.
    func rendering(channel: UInt64) async throws -> (DCEExporter, DCERenderer, ChannelInfo) {
        let loaded = try await ChannelInfo.load(channel, store: store, options: options)
        let exporter = DCEExporter(store: store, options: options)
        let renderer = try await DCERenderer(store: store, options: options, guildId: loaded.guildId)
        // Files at several depths: downloaded attachments (`--media`) and an imported `--media` export's files
        // linked by absolute paths (before, `--window --media` linked no downloaded attachment).
        let assetLink = DCEAssetLink(outputDirectory: nil, encodedForHTML: false)
        if options.media { renderer.mediaPath = exporter.mediaResolver(assetLink) }
        let assetLinks = ImportedAssetLinks(
            mediaRoot: options.mediaRoot ?? DCEExporter.defaultMediaRoot, assetLink: assetLink)
        renderer.importedAssets = assetLinks
        return (exporter, renderer, loaded.linkingAssets(assetLinks))
    }

    static func runId(_ time: DCETime) -> String {
        let f = time.fields(offset: 0)
        return String(format: "%04d%02d%02d-%02d%02d%02d", f.year, f.month, f.day, f.hour, f.minute, f.second)
    }
}
