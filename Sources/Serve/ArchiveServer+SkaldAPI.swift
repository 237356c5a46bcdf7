import ArchiveStore
import DiscordModels
import Foundation
import Hummingbird

extension ArchiveServer {
    /// Skald's own JSON under `/skald/api`: guilds, channels, messages with revisions and tombstones, one message
    /// with its full edit history, search.
    func addSkaldRoutes(to api: RouterGroup<BasicRequestContext>) {
        api.get("guilds") { _, _ in ServeResponses.jsonArray(try await guilds().map(\.json)) }
        api.get("guilds/:guild/channels") { _, context in
            guard let id: Snowflake<Guild> = Self.id(context, "guild") else { return Self.unknownGuild }
            let channels = try await history.channels(in: id)
            return ServeResponses.json(
                JSONAssembly.array(channels.map { Data(Self.channelEntry($0)) }))
        }
        api.get("channels/:channel/messages") { request, context in
            guard let channel = try await storedChannel(context) else { return Self.unknownChannel }
            let page = try Self.messagePage(of: request)
            let messages = try await messagePage(page, in: channel.id.cast(), includeDeleted: true)
            var entries: [Data] = []
            for message in messages { entries.append(Data(try await messageEntry(message))) }
            return ServeResponses.json(JSONAssembly.object([("messages", JSONAssembly.array(entries))]))
        }
        api.get("channels/:channel/messages/:message") { _, context in
            guard let channel = try await storedChannel(context) else { return Self.unknownChannel }
            guard let id: Snowflake<Message> = Self.id(context, "message"),
                let message = try await history.message(id, in: channel.id.cast())
            else { return Self.unknownMessage }
            return ServeResponses.json(try await messageEntry(message))
        }
        api.get("search") { request, _ in
            let query = Self.query(request)
            let page: SearchPage
            do {
                guard let order = SearchOrder(rawValue: query["sort"] ?? "newest") else {
                    throw SearchQueryError("sort takes newest or relevance")
                }
                page = try await search(
                    query["q"] ?? "", guild: try await searchedGuild(query), cursor: query["cursor"], order: order,
                    limit: try Self.searchLimit(query))
            } catch let error as SearchQueryError {
                return ServeResponses.encoded(["error": error.message], status: .badRequest)
            }
            let words = (try? SearchQuery(parsing: query["q"] ?? "")).map(\.highlightedWords)
            let results = page.results.map { message in
                Data(
                    JSONAssembly.object([
                        ("message", Array(message.json)),
                        ("channelId", JSONAssembly.string(message.channelId.description)),
                        ("snippet", JSONAssembly.string(Self.snippet(of: message.content, words: words ?? []))),
                        ("deletedAt", JSONAssembly.string(message.deletedAt.map(Self.isoText))),
                    ]))
            }
            return ServeResponses.json(
                JSONAssembly.object([
                    ("results", JSONAssembly.array(results)), ("next", JSONAssembly.string(page.next)),
                ]))
        }
    }

    /// A channel with the columns a viewer lists it by, and its JSON.
    static func channelEntry(_ channel: StoredChannel) -> [UInt8] {
        JSONAssembly.object([
            ("id", JSONAssembly.string(channel.id.description)),
            ("parentId", JSONAssembly.string(channel.parentId?.description)),
            ("isThread", Array((channel.isThread ? "true" : "false").utf8)),
            ("deletedAt", JSONAssembly.string(channel.deletedAt.map(isoText))),
            ("channel", Array(channel.json)),
        ])
    }

    /// A message with its tombstone and its earlier versions, oldest first.
    func messageEntry(_ message: StoredMessage) async throws -> [UInt8] {
        let revisions = try await history.revisions(of: message)
        return JSONAssembly.object([
            ("message", Array(message.json)),
            ("deletedAt", JSONAssembly.string(message.deletedAt.map(Self.isoText))),
            ("revisions", JSONAssembly.array(revisions.map(\.json))),
        ])
    }

    static func isoText(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
