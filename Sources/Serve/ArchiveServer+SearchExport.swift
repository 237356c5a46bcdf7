import ArchiveStore
import DiscordModels
import Export
import Foundation
import Hummingbird
import NIOCore

extension ArchiveServer {
    /// Under `/skald/api`: every match of a search as DCE JSON, the exporter's bytes, streamed with no result cap.
    ///
    /// The shape is DCE's own for a filtered export (`DiscordChatExporter.Cli exportguild --filter …`): one
    /// document per channel, each with its guild and channel header, its matches oldest first and a
    /// `messageCount` of the matches it holds, named as DCE names its files. DCE never mixes channels in one
    /// document (its message objects carry no channel id, so a merged file would lose where each message was
    /// written), and threads are channels of their own. So:
    /// - `search/export.zip?q=…[&guild=ID]`: the documents of every channel with a match (channels without one
    ///   are left out, where DCE would write empty files), in one ZIP as DCE would have written them to a folder;
    /// - `search/export.json?q=…&channel=ID`: the one document of a channel, as `export.json` but for the matches.
    ///
    /// `before:`/`after:`/`during:` are DCE's `--before`/`--after` (the document's `dateRange`). Deleted messages
    /// are left out, as DCE never sees them, unless the query asks for them (`deleted:true`) or `deleted=true`;
    /// `utc=true` is DCE's `--utc`. Each channel's matches are walked oldest first a batch at a time
    /// (``SearchMatchWalk``), so neither the matches nor a document is ever held whole.
    func addSearchExportRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.get("search/export.json") { request, _ in
            let query = Self.query(request)
            guard let channel = query["channel"].flatMap({ Snowflake<DiscordModels.Channel>($0) }) else {
                return ServeResponses.encoded(
                    ["error": "channel=ID names the channel whose matches to export (search/export.zip has them all)"],
                    status: .badRequest)
            }
            guard try await history.channel(channel) != nil else { return Self.unknownChannel }
            let search = try await exportedSearch(query)
            let exporter = DCEExporter(
                store: store, options: try Self.exportOptions(search, query: query, media: mediaPrefix))
            let name = try await exporter.fileName(of: channel)
            return Response(
                status: .ok,
                headers: [
                    .contentType: "application/json; charset=utf-8",
                    .contentDisposition: Self.attachment(name),
                ],
                body: ResponseBody { writer in
                    var walk = try await SearchMatchWalk(history: history, search: search, channel: channel)
                    let batches = { try await walk?.next()?.map(\.exported) }
                    try await exporter.streamChannel(channel, selecting: batches) { bytes in
                        try await writer.write(ByteBuffer(bytes: bytes))
                    }
                    try await writer.finish(nil)
                })
        }
        api.get("search/export.zip") { request, _ in
            let query = Self.query(request)
            let search = try await exportedSearch(query)
            let exporter = DCEExporter(
                store: store, options: try Self.exportOptions(search, query: query, media: mediaPrefix))
            let candidates =
                search.channels.isEmpty
                ? try await history.channels(in: search.guild).map { $0.id.cast() } : search.channels
            return Response(
                status: .ok,
                headers: [.contentType: "application/zip", .contentDisposition: Self.attachment("skald-search.zip")],
                body: ResponseBody { writer in
                    var zip = ZipStream(date: Date())
                    for channel in Set(candidates).sorted(by: { $0.rawValue < $1.rawValue }) {
                        guard var walk = try await SearchMatchWalk(history: history, search: search, channel: channel)
                        else { continue }
                        try await writer.write(ByteBuffer(bytes: zip.begin(try await exporter.fileName(of: channel))))
                        let batches = { try await walk.next()?.map(\.exported) }
                        try await exporter.streamChannel(channel, selecting: batches) { bytes in
                            try await writer.write(ByteBuffer(bytes: zip.add(bytes)))
                        }
                        try await writer.write(ByteBuffer(bytes: zip.end()))
                    }
                    try await writer.write(ByteBuffer(bytes: zip.finish()))
                    try await writer.finish(nil)
                })
        }
    }

    /// The search `q` (with `guild`) names, as exported: without deleted messages unless asked for; a search that
    /// cannot be read is refused with `400 {"error": …}`.
    func exportedSearch(_ query: [String: String]) async throws -> MessageSearch {
        do {
            guard
                var search = try await resolvedSearch(query["q"] ?? "", guild: try await searchedGuild(query))
            else { throw SearchQueryError("q names the messages to export") }
            if search.deleted == nil, try !Self.exportFlag(query, "deleted") { search.deleted = false }
            return search
        } catch let error as SearchQueryError {
            throw ServeRefusal(response: ServeResponses.encoded(["error": error.message], status: .badRequest))
        }
    }

    /// The exporter's options for a search: DCE JSON, its dates as the range, `utc=true` as `--utc`, the assets
    /// `import --media` copied linked where `media` serves them.
    static func exportOptions(_ search: MessageSearch, query: [String: String], media: String?) throws
        -> DCEExportOptions
    {
        var options = DCEExportOptions()
        options.format = .json
        options.servedMediaPrefix = media
        if try exportFlag(query, "utc") { options.timeZone = .utc }
        options.after = search.minimumId.flatMap { $0.rawValue > 0 ? $0.rawValue - 1 : nil }
        options.before = search.maximumId?.rawValue
        options.includeDeleted = search.deleted != false
        return options
    }

    /// A `Content-Disposition` for a download named `name` (`filename*` keeps a UTF-8 name whole).
    static func attachment(_ name: String) -> String {
        let plain = String(name.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? plain
        return "attachment; filename=\"\(plain)\"; filename*=UTF-8''\(encoded)"
    }
}
