import ArchiveStore
import DiscordModels
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresStore
import SQLiteStore
import Serve
import TestSupport
import Testing

/// History imported from DiscordChatExporter files through `skald serve` over loopback, on a real SQLite file and
/// the real PostgreSQL: an archive made by imports alone is browsed, searched and read through the Discord API, and
/// a channel whose first part was imported and the rest archived reads as one history in both directions, each
/// message as the later of its two copies.
@Suite(.serialized) struct ImportedHistoryServeTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
        static var wanted: [Backend] { ServePostgres.isWanted ? allCases : [.sqlite] }
    }

    static let oldGuild: Snowflake<Guild> = "800000000000000001"
    static let oldChannel: Snowflake<Channel> = "800000000000000100"
    static let oldCategory: Snowflake<Channel> = "800000000000000050"
    static let oldThread: Snowflake<Channel> = "800000000000000200"
    static let directChannel: Snowflake<Channel> = "800000000000000900"

    /// The `index`th imported message id: an hour before the fixture's archived messages begin, one a minute.
    static func importedID(_ index: Int) -> Snowflake<Message> {
        Snowflake(unixMilliseconds: 1_700_000_000_000 - 3_600_000 + UInt64(index) * 60_000, worker: 3)
    }

    /// A DCE message object (the exporter's local offset, as DCE writes it).
    static func dce(
        _ id: Snowflake<Message>, content: String, author: Int = 6001, pinned: Bool = false, edited: Date? = nil
    ) -> String {
        func local(_ date: Date) -> String {
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(secondsFromGMT: 7_200)
            formatter.formatOptions = [.withInternetDateTime]
            return formatter.string(from: date)
        }
        let edit = edited.map { "\"\(local($0))\"" } ?? "null"
        return """
            {"id":"\(id)","type":"Default","timestamp":"\(local(id.date))","timestampEdited":\(edit),\
            "callEndedTimestamp":null,"isPinned":\(pinned),"content":"\(content)","author":{"id":"\(author)",\
            "name":"olduser\(author)","discriminator":"0000","nickname":"Old \(author)","color":null,"isBot":false,\
            "roles":[],"avatarUrl":"https://cdn.discordapp.com/avatars/\(author)/abc123.png?size=512"},\
            "attachments":[],"embeds":[],"stickers":[],"reactions":[],"mentions":[],"inlineEmojis":[]}
            """
    }

    /// Imports one file of `messages` (id, DCE JSON) of `channel` with the given header objects.
    static func importFile(
        _ messages: [(Snowflake<Message>, String)], channel: Snowflake<Channel>, guild: Snowflake<Guild>?,
        guildJSON: String, channelJSON: String, into store: any ArchiveStore
    ) async throws {
        let stage = UUID()
        try await store.stageImportedMessages(
            messages.map { id, json in
                ImportedMessage(id: id, channelId: channel, guildId: guild, timestamp: nil, json: Data(json.utf8))
            }, stage: stage)
        try await store.commitImport(
            stage: stage,
            channel: ImportedChannel(
                channelId: channel, guildId: guild, guildJSON: Data(guildJSON.utf8),
                channelJSON: Data(channelJSON.utf8), source: "\(channel).json", importedAt: Date()))
    }

    /// An archive made by imports alone: a guild's channel (in a category) with 30 messages, a thread of it with
    /// one, and a direct message.
    static func importOldGuild(into store: any ArchiveStore) async throws {
        let guildJSON =
            #"{"id":"\#(oldGuild)","name":"Old Guild","iconUrl":"https://cdn.discordapp.com/embed/avatars/0.png"}"#
        var messages: [(Snowflake<Message>, String)] = []
        for index in 0..<30 {
            let content = index == 7 ? "the platypus88 swims" : "old message \(index)"
            messages.append((importedID(index), dce(importedID(index), content: content, pinned: index == 9)))
        }
        try await importFile(
            messages, channel: oldChannel, guild: oldGuild, guildJSON: guildJSON,
            channelJSON: """
                {"id":"\(oldChannel)","type":"GuildTextChat","categoryId":"\(oldCategory)","category":"Old times",\
                "name":"old-general","topic":null}
                """, into: store)
        try await importFile(
            [(importedID(40), dce(importedID(40), content: "inside the old thread"))], channel: oldThread,
            guild: oldGuild, guildJSON: guildJSON,
            channelJSON: """
                {"id":"\(oldThread)","type":"GuildPublicThread","categoryId":"\(oldChannel)",\
                "category":"old-general","name":"old thread","topic":null}
                """, into: store)
        try await importFile(
            [(importedID(50), dce(importedID(50), content: "a private word"))], channel: directChannel, guild: nil,
            guildJSON:
                #"{"id":"0","name":"Direct Messages","iconUrl":"https://cdn.discordapp.com/embed/avatars/0.png"}"#,
            channelJSON:
                #"{"id":"\#(directChannel)","type":"DirectTextChat","categoryId":null,"category":null,"name":"friend","topic":null}"#,
            into: store)
    }

    /// Runs `body` with a live server (loopback) over a fresh archive of `backend`, filled by `fill`, serving
    /// `mediaFolder` under `/media/` when given.
    static func withServer(
        _ backend: Backend, mediaFolder: String? = nil,
        fill: @escaping @Sendable (any ArchiveStore) async throws -> Void,
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        func serve(_ store: any ArchiveStore) async throws {
            try await fill(store)
            var configuration = ServeConfiguration()
            configuration.mediaFolder = mediaFolder.map(MediaFolder.init(path:))
            let server = ArchiveServer(store: store, configuration: configuration)
            try await Application(router: server.makeRouter()).test(.live, body)
        }
        switch backend {
        case .sqlite:
            try await TemporaryArchive.with { path in try await serve(try SQLiteArchiveStore(path: path)) }
        case .postgres:
            let store = try await TestPostgres.makeStore(schemaPrefix: "serve_imported_", poolSize: 2)
            do {
                try await serve(store)
            } catch {
                try? await store.dropSchema()
                await store.shutdown()
                throw error
            }
            try await store.dropSchema()
            await store.shutdown()
        }
    }

    static func get(_ client: any TestClientProtocol, _ uri: String) async throws -> (HTTPResponse.Status, String) {
        let (status, body, _) = try await ServeRoutesTests.get(client, uri)
        return (status, body)
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try ServeRoutesTests.json(text) as? [String: Any])
    }

    @Test(arguments: Backend.wanted) func importOnlyArchiveIsServed(_ backend: Backend) async throws {
        try await Self.withServer(backend, fill: Self.importOldGuild) { client in
            let (_, home) = try await Self.get(client, "/")
            #expect(home.contains("Old Guild"))
            #expect(home.contains("Direct Messages"))
            let (guildStatus, guild) = try await Self.get(client, "/guilds/\(Self.oldGuild)")
            #expect(guildStatus == .ok)
            #expect(guild.contains("old-general") && guild.contains("Old times") && guild.contains("old thread"))
            let (channelStatus, page) = try await Self.get(client, "/channels/\(Self.oldChannel)")
            #expect(channelStatus == .ok)
            #expect(page.contains("old message 29") && page.contains("Old 6001"))
            let (threadStatus, thread) = try await Self.get(client, "/channels/\(Self.oldThread)")
            #expect(threadStatus == .ok && thread.contains("inside the old thread"))
            let (directStatus, direct) = try await Self.get(client, "/channels/\(Self.directChannel)")
            #expect(directStatus == .ok && direct.contains("a private word"))
            #expect(try await Self.get(client, "/guilds/0").1.contains("friend"))

            // The Discord API: channels, the message list in Discord's order, one message as Discord's object.
            let ids = (0..<30).map { Self.importedID($0).rawValue }
            let messages = "/api/v10/channels/\(Self.oldChannel)/messages"
            #expect(
                try ServeRoutesTests.ids(try await Self.get(client, messages + "?limit=5").1)
                    == ids.suffix(5).reversed())
            #expect(
                try ServeRoutesTests.ids(try await Self.get(client, messages + "?limit=3&before=\(ids[10])").1)
                    == [ids[9], ids[8], ids[7]])
            #expect(
                try ServeRoutesTests.ids(try await Self.get(client, messages + "?limit=3&after=\(ids[10])").1)
                    == [ids[13], ids[12], ids[11]])
            #expect(
                try ServeRoutesTests.ids(try await Self.get(client, messages + "?limit=4&around=\(ids[10])").1)
                    == [ids[12], ids[11], ids[10], ids[9]])
            let (oneStatus, oneBody) = try await Self.get(client, messages + "/\(ids[7])")
            #expect(oneStatus == .ok)
            let one = try Self.object(oneBody)
            #expect(one["content"] as? String == "the platypus88 swims")
            #expect(one["channel_id"] as? String == Self.oldChannel.description)
            #expect((one["author"] as? [String: Any])?["username"] as? String == "olduser6001")
            #expect((one["author"] as? [String: Any])?["global_name"] as? String == "Old 6001")
            #expect((one["author"] as? [String: Any])?["avatar"] as? String == "abc123")
            #expect(one["timestamp"] as? String == DiscordTimestamp(date: Self.importedID(7).date).rawValue)
            #expect(one["type"] as? Int == 0 && one["edited_timestamp"] is NSNull)
            let channel = try Self.object(try await Self.get(client, "/api/v10/channels/\(Self.oldChannel)").1)
            #expect(channel["name"] as? String == "old-general" && channel["type"] as? Int == 0)
            #expect(channel["parent_id"] as? String == Self.oldCategory.description)
            let listed = try await Self.get(client, "/api/v10/guilds/\(Self.oldGuild)/channels").1
            #expect(try ServeRoutesTests.ids(listed).contains(Self.oldChannel.rawValue))
            let pins = try await Self.get(client, "/api/v10/channels/\(Self.oldChannel)/pins").1
            #expect(try ServeRoutesTests.ids(pins) == [ids[9]])

            // Discord's search route finds imported messages as the viewer does: words, author, pins, a thread.
            func discordSearch(_ query: String) async throws -> (ids: [UInt64], total: Int?, threads: [String]) {
                let answer = try Self.object(
                    try await Self.get(client, "/api/v10/guilds/\(Self.oldGuild)/messages/search?" + query).1)
                let groups = answer["messages"] as? [[[String: Any]]] ?? []
                return (
                    groups.compactMap { ($0.first?["id"] as? String).flatMap(UInt64.init) },
                    answer["total_results"] as? Int,
                    (answer["threads"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                )
            }
            let platypus = try await discordSearch("content=platypus88&author_id=6001")
            #expect(platypus.ids == [ids[7]] && platypus.total == 1)
            #expect(try await discordSearch("pinned=true").ids == [ids[9]])
            let inThread = try await discordSearch("content=inside%20the%20old%20thread&slop=0")
            #expect(inThread.ids == [Self.importedID(40).rawValue] && inThread.threads == [Self.oldThread.description])
            let oldest = try await discordSearch("channel_id=\(Self.oldChannel)&sort_order=asc&limit=3&offset=2")
            #expect(oldest.ids == Array(ids[2..<5]) && oldest.total == 30)

            // Search: the viewer's page and Skald's API, words and filters.
            let (_, found) = try await Self.get(client, "/search?q=platypus88")
            #expect(found.contains("/channels/\(Self.oldChannel)?around=\(ids[7])"))
            #expect(found.contains("#old-general"))
            let api = try Self.object(try await Self.get(client, "/skald/api/search?q=platypus88%20from:6001").1)
            let results = try #require(api["results"] as? [[String: Any]])
            #expect(results.compactMap { ($0["message"] as? [String: Any])?["id"] as? String } == ["\(ids[7])"])
            let byName = try Self.object(
                try await Self.get(client, "/skald/api/search?q=platypus88%20from:olduser6001").1)
            #expect((byName["results"] as? [[String: Any]])?.count == 1)
            let inChannel = try Self.object(try await Self.get(client, "/skald/api/search?q=old%20in:old-general").1)
            #expect((inChannel["results"] as? [[String: Any]])?.count == 25)
            let pinned = try Self.object(try await Self.get(client, "/skald/api/search?q=pinned:true").1)
            #expect((pinned["results"] as? [[String: Any]])?.count == 1)
        }
    }

    /// The fixture archive (its channel's 40 messages) with 10 older messages of the same channel imported, an
    /// imported copy of message 5 edited after the archived one, and an unedited imported copy of message 11, which
    /// the archive holds edited.
    static func importBeforeArchive(into store: any ArchiveStore) async throws {
        try await ServeFixture.fill(store, count: 40)
        var messages = (0..<10).map { (importedID($0), dce(importedID($0), content: "imported early \($0)")) }
        let five = ServeFixture.messageID(5)
        messages.append((five, dce(five, content: "the imported edit wins", edited: five.date.addingTimeInterval(600))))
        let eleven = ServeFixture.messageID(11)
        messages.append((eleven, dce(eleven, content: "a stale imported copy")))
        try await importFile(
            messages, channel: ServeFixture.channel, guild: ServeFixture.guild,
            guildJSON: #"{"id":"\#(ServeFixture.guild)","name":"The Hall"}"#,
            channelJSON: #"{"id":"\#(ServeFixture.channel)","type":"GuildTextChat","name":"general"}"#, into: store)
    }

    @Test(arguments: Backend.wanted) func mixedChannelReadsAsOneHistory(_ backend: Backend) async throws {
        try await Self.withServer(backend, fill: Self.importBeforeArchive) { client in
            let archived = (0..<40).filter { $0 != ServeFixture.deletedIndex }.map {
                ServeFixture.messageID($0).rawValue
            }
            let all = (0..<10).map { Self.importedID($0).rawValue } + archived
            let messages = "/api/v10/channels/\(ServeFixture.channel)/messages"
            // Newest first with `before`, 7 at a time, from the archived part into the imported one.
            var newestFirst: [UInt64] = []
            var query = "?limit=7"
            while true {
                let ids = try ServeRoutesTests.ids(try await Self.get(client, messages + query).1)
                guard let oldest = ids.last else { break }
                newestFirst += ids
                query = "?limit=7&before=\(oldest)"
            }
            #expect(newestFirst == all.reversed())
            // Oldest first with `after` from 0, 7 at a time (each page newest first, as Discord answers).
            var oldestFirst: [UInt64] = []
            query = "?limit=7&after=0"
            while true {
                let ids = try ServeRoutesTests.ids(try await Self.get(client, messages + query).1)
                guard let newest = ids.first else { break }
                oldestFirst += ids.reversed()
                query = "?limit=7&after=\(newest)"
            }
            #expect(oldestFirst == all)
            // The later state of each message: the imported edit of 5, the archived edit of 11.
            let five = try Self.object(try await Self.get(client, messages + "/\(ServeFixture.messageID(5))").1)
            #expect(five["content"] as? String == "the imported edit wins")
            let eleven = try Self.object(try await Self.get(client, messages + "/\(ServeFixture.messageID(11))").1)
            #expect(eleven["content"] as? String == ServeFixture.content(11))
            // Search finds each message in the copy shown, once.
            let wins = try Self.object(try await Self.get(client, "/skald/api/search?q=wins").1)
            #expect((wins["results"] as? [[String: Any]])?.count == 1)
            let stale = try Self.object(try await Self.get(client, "/skald/api/search?q=stale").1)
            #expect((stale["results"] as? [[String: Any]])?.isEmpty == true)
            let early = try Self.object(try await Self.get(client, "/skald/api/search?q=imported%20early").1)
            #expect((early["results"] as? [[String: Any]])?.count == 10)
            // The viewer's page before the first archived message shows the imported ones.
            let (_, page) = try await Self.get(client, "/channels/\(ServeFixture.channel)?before=\(archived[0])")
            #expect(page.contains("imported early 9") && page.contains("imported early 0"))
        }
    }
}
