import ArchiveStore
import DiscordModels
import Foundation

/// Writes DiscordChatExporter-compatible files from the archive, streaming each channel in constant memory.
///
/// ```swift
/// var options = DCEExportOptions()
/// options.timeZone = .utc
/// let files = try await DCEExporter(store: store, options: options).exportChannels([channel], to: "out")
/// ```
public struct DCEExporter: Sendable {
    /// The store.
    public let store: any ArchiveStore
    /// The options.
    public let options: DCEExportOptions

    /// An exporter over `store`.
    public init(store: any ArchiveStore, options: DCEExportOptions) {
        self.store = store
        self.options = options
    }

    /// Exports channels (and their threads per ``DCEExportOptions/includeThreads``) into `directory`, up to
    /// ``DCEExportOptions/parallelChannels`` at once (each channel is its own file set and renderer); the files come
    /// back in the channels' order.
    public func exportChannels(_ ids: [Snowflake<Channel>], to directory: String) async throws -> [ExportedFile] {
        let channels = try await ChannelSelection.expanding(
            ids.map(\.rawValue), threads: options.includeThreads, store: store)
        if options.outputTemplate != nil, channels.count > 1 {
            // A template names each file: it is checked for every channel before the first file is written.
            var files: [ExportedFile] = []
            for (info, path) in try await plannedTemplatePaths(channels, directory: directory) {
                files += try await writeChannel(info, after: options.after, before: options.before, path: path)
            }
            return files
        }
        let width = max(1, options.parallelChannels)
        guard width > 1, channels.count > 1 else {
            var files: [ExportedFile] = []
            for id in channels { files += try await exportChannel(id, to: directory) }
            return files
        }
        var results = [[ExportedFile]](repeating: [], count: channels.count)
        try await withThrowingTaskGroup(of: (Int, [ExportedFile]).self) { group in
            var next = 0
            func start() {
                let index = next
                let id = channels[index]
                next += 1
                group.addTask { (index, try await exportChannel(id, to: directory)) }
            }
            while next < min(width, channels.count) { start() }
            while let (index, files) = try await group.next() {
                results[index] = files
                if next < channels.count { start() }
            }
        }
        return results.flatMap { $0 }
    }

    /// Exports every archived or imported channel of a guild (threads per the options) into `directory`; the
    /// channels never archived are told to `skipped` (``GuildExportSelection``).
    public func exportGuild(
        _ guild: Snowflake<Guild>, to directory: String, skipped: @Sendable (SkippedChannel) -> Void = { _ in }
    ) async throws -> [ExportedFile] {
        try await exportChannels(try await channels(ofGuild: guild, skipped: skipped), to: directory)
    }

    /// The channels ``exportGuild(_:to:skipped:)`` exports (for ``exportChannels(_:to:)`` with others beside them).
    public func channels(ofGuild guild: Snowflake<Guild>, skipped: (SkippedChannel) -> Void = { _ in }) async throws
        -> [Snowflake<Channel>]
    {
        try await GuildExportSelection.channels(
            of: guild, threads: options.includeThreads, store: store, skipped: skipped
        ).map { Snowflake<Channel>($0) }
    }

    /// Each channel's file from the output template, refused before anything is written when two channels would
    /// share one file (the second would overwrite the first), as DCE refuses a path that is neither a folder nor a
    /// template for several channels.
    private func plannedTemplatePaths(_ channels: [UInt64], directory: String) async throws
        -> [(ChannelInfo, String)]
    {
        var planned: [(ChannelInfo, String)] = []
        var owners: [String: ChannelInfo] = [:]
        for id in channels {
            let info = try await ChannelInfo.load(id, store: store, options: options)
            let path = OutputPath.path(for: info, directory: directory, options: options)
            let key = URL(fileURLWithPath: path).standardizedFileURL.path
            if let first = owners[key] {
                throw ExportError.invalidArgument(
                    "--output \"\(options.outputTemplate ?? "")\" names one file (\(path)) for #\(first.channelName) "
                        + "[\(first.id)] and #\(info.channelName) [\(info.id)]: the second would overwrite the first; "
                        + "put %c (the channel id) in the template, or give a folder")
            }
            owners[key] = info
            planned.append((info, path))
        }
        return planned
    }

    /// Exports one channel into `directory` (file name from DCE's default or the output template).
    public func exportChannel(_ id: UInt64, to directory: String) async throws -> [ExportedFile] {
        let info = try await ChannelInfo.load(id, store: store, options: options)
        let path = OutputPath.path(for: info, directory: directory, options: options)
        return try await writeChannel(info, after: options.after, before: options.before, path: path)
    }

    /// Writes the messages of a channel with `after < id < before` to `path` (and `[part k]` files when
    /// partitioned). Files are written under temporary names and renamed when complete.
    func writeChannel(_ info: ChannelInfo, after: UInt64?, before: UInt64?, path: String) async throws
        -> [ExportedFile]
    {
        let renderer = try await DCERenderer(store: store, options: options, guildId: info.guildId)
        let assetLink = DCEAssetLink(
            outputDirectory: (path as NSString).deletingLastPathComponent, encodedForHTML: renderer.rendersHTML)
        if options.media {
            renderer.mediaPath = mediaResolver(assetLink)
        }
        // An imported `--media` export's files have no URL to write instead: linked with or without --media.
        let assetLinks = ImportedAssetLinks(mediaRoot: options.mediaRoot ?? Self.defaultMediaRoot, assetLink: assetLink)
        renderer.importedAssets = assetLinks
        var info = info.linkingAssets(assetLinks)
        if options.media, let fetch = options.fetchAsset {
            // DCE's `{output file}_Files/` unless `--media-dir` names a folder; partitions share it.
            let folder = options.mediaDirectory ?? path + "_Files"
            let assets = ExportAssets(
                downloader: ExportAssetDownloader(folder: folder, fetch: fetch, report: options.assetFailed),
                assetLink: assetLink, scope: AssetScope(options.format), discordOnly: options.mediaFromDiscordOnly)
            renderer.assets = assets
            info.guild = await assets.linking(info.guild, under: ["guild"])
            info.channel = await assets.linking(info.channel, under: ["channel"])
        }
        var stream = ChannelMessageStream(
            store: store, channel: Snowflake(info.id), after: after, before: before,
            includeDeleted: options.includeDeleted)
        let header = { documentHeader(info, after: after, before: before) }
        var files: [ExportedFile] = []
        var part = 1
        var current = try OpenDocument(path: path, channelId: info.id, format: makeFormat(), header: header())
        do {
            while let (id, message) = try await stream.next() {
                try Task.checkCancellation()  // SIGINT: the half-written file is removed below
                if current.count > 0, shouldClose(current) {
                    files.append(try current.finish())
                    part += 1
                    current = try OpenDocument(
                        path: OutputPath.part(path, part), channelId: info.id, format: makeFormat(), header: header())
                }
                try await current.write(message, id: id, renderer: renderer)
            }
            files.append(try current.finish())
        } catch {
            current.abandon()
            throw error
        }
        return files
    }

    /// The header of a channel's document: its guild and channel objects, the range and the export time.
    func documentHeader(_ info: ChannelInfo, after: UInt64?, before: UInt64?) -> DocumentHeader {
        DocumentHeader(
            guild: info.guild, channel: info.channel,
            after: after.map { options.timeZone.format(DCETime(snowflake: $0 + 1)) },
            before: before.map { options.timeZone.format(DCETime(snowflake: $0)) },
            exportedAt: options.timeZone.format(options.now()), ancestors: info.ancestors)
    }

    private func shouldClose(_ document: OpenDocument) -> Bool {
        switch options.partition {
        case .messages(let limit)?: document.count >= limit
        case .bytes(let limit)?: document.sink.bytesWritten >= limit
        case nil: false
        }
    }

    func makeFormat() -> any DocumentFormat {
        switch options.format {
        case .json: JSONDocumentFormat(newline: options.newline)
        case .csv: CSVDocumentFormat(newline: options.newline)
        case .txt: PlainTextDocumentFormat(timeZone: options.timeZone, newline: options.newline)
        case .htmlDark: HTMLDocumentFormat(dark: true, timeZone: options.timeZone, markdown: options.markdown)
        case .htmlLight: HTMLDocumentFormat(dark: false, timeZone: options.timeZone, markdown: options.markdown)
        }
    }

    /// The media folder when the options name none (a PostgreSQL archive's default).
    static let defaultMediaRoot = "skald-archive/media"

    /// The link of a downloaded attachment (`--media`), by DCE's rule from the file being written; nil (its URL is
    /// kept) when it was not downloaded or its file is gone.
    func mediaResolver(_ assetLink: DCEAssetLink) -> (UInt64, UInt64, UInt64) async -> String? {
        let store = self.store
        let root = options.mediaRoot ?? Self.defaultMediaRoot
        return { messageId, channelId, attachmentId in
            guard let attachments = try? await store.attachments(of: Snowflake(messageId), in: Snowflake(channelId)),
                let local = attachments.first(where: { $0.id.rawValue == attachmentId })?.localPath
            else { return nil }
            let absolute = local.hasPrefix("/") ? local : (root as NSString).appendingPathComponent(local)
            // A file no longer there keeps its URL, as DCE writes the URL of a download that failed (dce-json.md
            // §14.1); before, the link led nowhere.
            guard FileManager.default.fileExists(atPath: absolute) else { return nil }
            return assetLink.link(toFile: absolute)
        }
    }
}

/// A document being written: its sink, format and the figures the manifest needs.
struct OpenDocument {
    let sink: FileSink
    var format: any DocumentFormat
    let channelId: UInt64
    private(set) var count = 0
    private var minId: UInt64?
    private var maxId: UInt64?
    private var firstTimestamp: String?
    private var lastTimestamp: String?
    private var buffer: [UInt8] = []

    init(path: String, channelId: UInt64, format: any DocumentFormat, header: DocumentHeader) throws {
        self.sink = try FileSink(path: path)
        self.format = format
        self.channelId = channelId
        try sink.write(self.format.preamble(header))
    }

    mutating func write(_ message: StreamedMessage, id: UInt64, renderer: DCERenderer) async throws {
        buffer.removeAll(keepingCapacity: true)
        let timestamp = try await format.append(message, index: count, renderer: renderer, to: &buffer)
        try sink.write(buffer)
        count += 1
        minId = min(minId ?? id, id)
        maxId = max(maxId ?? id, id)
        if firstTimestamp == nil { firstTimestamp = timestamp }
        lastTimestamp = timestamp
    }

    mutating func finish() throws -> ExportedFile {
        try sink.write(format.postamble(messageCount: count))
        let bytes = sink.bytesWritten
        let hash = try sink.commit()
        return ExportedFile(
            path: sink.path, channelId: String(channelId),
            facts: ExportedFileFacts(
                messageCount: count, minId: minId.map(String.init), maxId: maxId.map(String.init),
                firstTimestamp: firstTimestamp, lastTimestamp: lastTimestamp, sha256: hash, bytes: bytes))
    }

    func abandon() { sink.abandon() }
}
