import ArchiveStore
import DiscordModels
import Export
import Foundation
import Hummingbird
import NIOCore

extension ArchiveServer {
    /// The channel a path names, with its columns (name, type, parent, thread state), or `nil`.
    func channelRecord(_ context: BasicRequestContext) async throws -> StoredChannel? {
        try await channelRecords(context)?.channel
    }

    /// The channel a path names and every channel of its guild (its threads are among them), or `nil`.
    func channelRecords(_ context: BasicRequestContext) async throws
        -> (channel: StoredChannel, siblings: [StoredChannel])?
    {
        guard let object = try await storedChannel(context) else { return nil }
        let siblings = try await history.channels(in: object.guildId)
        return siblings.first { $0.id.rawValue == object.id.rawValue }.map { ($0, siblings) }
    }

    /// `GET /assets/viewer.js`: the viewer's one script, from the binary.
    func addAssetRoutes(to router: Router<BasicRequestContext>) {
        router.get("assets/viewer.js") { _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache",
                    .init("X-Content-Type-Options")!: "nosniff",
                ],
                body: ResponseBody(byteBuffer: ByteBuffer(string: ViewerAssets.viewerScript)))
        }
    }

    /// Under `/skald/api`: a window of a channel as the viewer's HTML (`channels/{id}/page`, for infinite scroll)
    /// and a channel as DCE JSON, streamed (`channels/{id}/export.json`).
    func addViewerAPIRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.get("channels/:channel/page") { request, context in
            guard let (channel, siblings) = try await channelRecords(context) else { return Self.unknownChannel }
            let page = try Self.messagePage(of: request)
            let messages = Array(try await messagePage(page, in: channel.id.cast(), includeDeleted: true).reversed())
            let log = try await ChannelLog.make(
                for: channel, among: siblings, store: store, mediaPrefix: mediaPrefix)
            let edges = Self.edges(of: page, count: messages.count)
            let more: Bool
            switch page.cursor {
            case .before: more = !edges.oldest
            case .after: more = !edges.newest
            case .latest, .around: more = true
            }
            return ServeResponses.json(
                JSONAssembly.object([
                    ("html", JSONAssembly.string(try await log.html(messages))),
                    ("first", JSONAssembly.string(messages.first?.id.description)),
                    ("last", JSONAssembly.string(messages.last?.id.description)),
                    ("more", Array((more ? "true" : "false").utf8)),
                ]))
        }
        api.get("channels/:channel/export.json") { request, context in
            guard let channel = try await channelRecord(context) else { return Self.unknownChannel }
            let query = Self.query(request)
            var options = DCEExportOptions()
            options.format = .json
            options.servedMediaPrefix = mediaPrefix
            if try Self.exportFlag(query, "utc") { options.timeZone = .utc }
            options.after = try Self.exportBound(query, "after")
            options.before = try Self.exportBound(query, "before")
            options.includeDeleted = try Self.exportFlag(query, "deleted")
            let exporter = DCEExporter(store: store, options: options)
            let id: Snowflake<DiscordModels.Channel> = channel.id.cast()
            let name = (channel.name ?? "channel").filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/json; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"\(name.isEmpty ? "channel" : name)-\(id).json\"",
                ],
                body: ResponseBody { writer in
                    try await exporter.streamChannel(id) { bytes in
                        try await writer.write(ByteBuffer(bytes: bytes))
                    }
                    try await writer.finish(nil)
                })
        }
    }
}
