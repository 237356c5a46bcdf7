import Archive
import ArchiveStore
import DiscordModels
import DiscordSimulator
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLiteStore
import Serve
import TestSupport
import Testing

/// `skald serve`'s Search Guild Messages against the simulator's own: a simulated guild archived into SQLite and
/// PostgreSQL, then the same searches asked of both, giving the same message ids (newest and oldest first, paged by
/// offset) and the same `total_results`.
@Suite(.serialized) struct GuildSearchServeTests {
    /// 15 channels of 30 messages (the 13th age-restricted and readable; the 14th without READ_MESSAGE_HISTORY, the
    /// 15th hidden), 3 threads.
    static let world = SimulatorConfiguration.testWorld(seed: 11, channels: 15, messages: 30, threads: 3)

    /// Archives the simulated guild into `store`.
    static func archive(_ sim: SimulatorServer, into store: any ArchiveStore) async throws {
        var configuration = ArchiveConfiguration(accounts: [.init(name: "test", token: sim.tokens[0])])
        configuration.apiBase = sim.apiBase
        _ = try await ArchiveEngine(
            configuration: configuration, store: store, observer: SilentArchiveObserver(),
            logger: QuietLogger.make("skald.tests.search")
        ).run()
    }

    /// A search answer's message ids and `total_results`.
    static func answer(_ body: Data) throws -> (ids: [String], total: Int, threads: [String], notResults: Int) {
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let groups = try #require(object["messages"] as? [[[String: Any]]])
        let threads = (object["threads"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        return (
            groups.compactMap { $0.first?["id"] as? String }, try #require(object["total_results"] as? Int),
            threads.sorted(),
            groups.flatMap { $0 }.filter { $0["reactions"] != nil || $0["hit"] as? Bool != true }.count
        )
    }

    /// The searches both must answer alike, made from what the simulator holds. No `content` word occurs in a
    /// link: PostgreSQL's parser keeps a URL's path as one token, where SQLite's and Discord's split it into words.
    static func queries(_ sim: SimulatorServer, everything: [[String: Any]]) -> [String] {
        func first(_ test: ([String: Any]) -> Bool) -> [String: Any]? { everything.first(where: test) }
        let author = (everything[3]["author"] as? [String: Any])?["id"] as? String ?? "0"
        let mention = first { !($0["mentions"] as? [Any] ?? []).isEmpty }
        let mentioned = ((mention?["mentions"] as? [[String: Any]])?.first?["id"] as? String) ?? "0"
        let reply = first { $0["type"] as? Int == 19 }
        let repliedTo = (reply?["message_reference"] as? [String: Any])?["message_id"] as? String ?? "0"
        let ids = everything.compactMap { $0["id"] as? String }
        let channels = sim.messageChannelIDs(guild: sim.guildIDs[0])
        return [
            "", "limit=7&offset=30", "sort_order=asc&limit=10&offset=5", "content=winter", "content=WINTER%20skald",
            "content=the%20skald&slop=0", "content=winter%20fire&slop=5&sort_order=asc", "author_id=\(author)",
            "has=image", "has=-file&has=link", "has=embed&has=-image", "has=poll", "has=sticker", "has=video",
            "author_type=bot", "author_type=-user", "author_type=user&author_type=-bot", "pinned=true",
            "pinned=false&limit=5", "mentions=\(mentioned)", "replied_to_message_id=\(repliedTo)",
            "min_id=\(ids[min(150, ids.count - 1)])&max_id=\(ids[min(20, ids.count - 1)])",
            "channel_id=\(channels[1])&channel_id=\(channels[2])", "include_nsfw=true",
            "include_nsfw=true&limit=25&offset=400",
            "channel_id=\(channels[12])", "channel_id=\(channels[12])&include_nsfw=1", "attachment_extension=png",
            "attachment_extension=.PNG&has=image", "attachment_filename=notes.txt", "link_hostname=example.com",
            "link_hostname=example.org", "mention_everyone=true", "has=snapshot", "has=-snapshot&limit=3",
            "min_id=18446744073709551615",
            "max_id=0", "author_id=1&author_id=\(author)",
        ]
    }

    /// Checks serve against the simulator on an archive of it in `store`.
    static func expectSameAnswers(_ sim: SimulatorServer, store: any ArchiveStore) async throws {
        try await archive(sim, into: store)
        let guild = sim.guildIDs[0]
        let path = "/guilds/\(guild)/messages/search"
        let server = ArchiveServer(store: store, configuration: ServeConfiguration())
        try await Application(router: server.makeRouter()).test(.router) { client in
            // Everything the bot can read, age-restricted channels included, as the simulator lists it.
            var everything: [[String: Any]] = []
            while true {
                let page = try await SimulatorAdmin.asBot(
                    sim, "GET", path + "?include_nsfw=true&offset=\(everything.count)")
                let object = try #require(try JSONSerialization.jsonObject(with: page.body) as? [String: Any])
                let groups = object["messages"] as? [[[String: Any]]] ?? []
                everything += groups.compactMap(\.first)
                if groups.count < 25 { break }
            }
            #expect(everything.count > 200)
            var totals: [String: Int] = [:]
            for query in queries(sim, everything: everything) {
                let suffix = query.isEmpty ? "" : "?" + query
                let simulated = try await SimulatorAdmin.asBot(sim, "GET", path + suffix)
                #expect(simulated.status == 200, "\(query)")
                let expected = try answer(simulated.body)
                let (status, body, _) = try await ServeRoutesTests.get(client, "/api/v10" + path + suffix)
                #expect(status == .ok, "\(query): \(body)")
                let served = try answer(Data(body.utf8))
                #expect(served.ids == expected.ids, "\(query)")
                #expect(served.total == expected.total, "\(query)")
                totals[query] = expected.total
                #expect(served.threads == expected.threads, "\(query)")
                // The docs: messages "without the `reactions` key" (a reply's `referenced_message` keeps its own),
                // each with the spec's `hit: true`.
                #expect(served.notResults == 0, "\(query)")
            }
            // The searches find something, and the age-restricted channel only when asked for.
            let channels = sim.messageChannelIDs(guild: guild)
            #expect(totals.values.filter { $0 > 0 }.count >= 26, "\(totals)")
            #expect(
                totals["channel_id=\(channels[12])"] == 0
                    && totals["channel_id=\(channels[12])&include_nsfw=1"] ?? 0 > 0)
            for query in ["content=winter", "content=the%20skald&slop=0", "has=-file&has=link", "author_type=bot"] {
                #expect(totals[query] ?? 0 > 0, "\(query)")
            }
            // By relevance: the same total, and a page of the same matches (the two rank differently).
            for query in ["sort_by=relevance&content=winter", "sort_by=relevance&content=the%20rune&sort_order=asc"] {
                let simulated = try answer(try await SimulatorAdmin.asBot(sim, "GET", path + "?" + query).body)
                let all = try answer(
                    try await SimulatorAdmin.asBot(sim, "GET", path + "?" + query + "&limit=25&offset=0").body)
                let (_, body, _) = try await ServeRoutesTests.get(client, "/api/v10" + path + "?" + query)
                let served = try answer(Data(body.utf8))
                #expect(served.total == simulated.total && served.ids.count == all.ids.count, "\(query)")
                var matches: [String] = []
                while matches.count < simulated.total {
                    let page = try answer(
                        try await SimulatorAdmin.asBot(sim, "GET", path + "?" + query + "&offset=\(matches.count)").body
                    )
                    matches += page.ids
                    if page.ids.isEmpty { break }
                }
                #expect(Set(served.ids).isSubset(of: matches), "\(query)")
            }
            // Discord's 400 for a value outside its limits, and its 404 for a guild the archive does not hold.
            let (tooMany, refusal, _) = try await ServeRoutesTests.get(client, "/api/v10" + path + "?limit=26")
            #expect(tooMany == .badRequest && refusal.contains("NUMBER_TYPE_MAX") && refusal.contains("50035"))
            let (badHas, hasRefusal, _) = try await ServeRoutesTests.get(client, "/api/v10" + path + "?has=nothing")
            #expect(badHas == .badRequest && hasRefusal.contains("ENUM_TYPE_COERCE"))
            let (unknown, unknownBody, _) = try await ServeRoutesTests.get(client, "/api/v10/guilds/1/messages/search")
            #expect(unknown == .notFound && unknownBody.contains("10004"))
        }
    }

    @Test("serve answers the simulator's searches alike on SQLite")
    func sameAnswersOnSQLite() async throws {
        try await SimulatorServer.withRunning(Self.world) { sim in
            try await TemporaryArchive.with { path in
                try await Self.expectSameAnswers(sim, store: try SQLiteArchiveStore(path: path))
            }
        }
    }

    @Test("serve answers the simulator's searches alike on PostgreSQL", .enabled(if: ServePostgres.isWanted))
    func sameAnswersOnPostgres() async throws {
        try await SimulatorServer.withRunning(Self.world) { sim in
            let store = try await TestPostgres.makeStore(schemaPrefix: "serve_search_", poolSize: 2)
            do {
                try await Self.expectSameAnswers(sim, store: store)
                try await store.dropSchema()
                await store.shutdown()
            } catch {
                try? await store.dropSchema()
                await store.shutdown()
                throw error
            }
        }
    }
}
