import ArchiveStore
import DiscordModels
import Foundation
import Hummingbird
import HummingbirdTesting
import Serve
import Testing

/// `skald serve` over a channel whose messages run from below 2^63 to above it (ids as the spec allows them; the
/// stores keep the bit pattern, so the newer ones are negative columns): the Discord-compatible API's `before`,
/// `after` and `around`, and search newest first, in Discord's (unsigned) order, every id printed unsigned.
@Suite struct HighSnowflakeServeTests {
    /// 24 messages one minute apart, the first 12 below 2^63 and the rest above.
    static let straddling: [Snowflake<Message>] = (0..<24).map { index in
        let twoTo63Milliseconds = (UInt64(1) << 41) + Snowflake<Message>.discordEpochMilliseconds
        return Snowflake(unixMilliseconds: twoTo63Milliseconds - 12 * 60_000 + UInt64(index) * 60_000, worker: 2)
    }

    static func messageJSON(_ id: Snowflake<Message>) -> String {
        """
        {"type":0,"content":"far future \(id)","mentions":[],"mention_roles":[],"attachments":[],"embeds":[],\
        "timestamp":"\(DiscordTimestamp(date: id.date).rawValue)","edited_timestamp":null,"flags":0,\
        "components":[],"id":"\(id)","channel_id":"\(ServeFixture.channel)",\
        "author":\(ServeFixture.userJSON(5001, name: "user5001")),"pinned":false,"mention_everyone":false,\
        "tts":false}
        """
    }

    /// The fixture archive (its messages are from 2023) plus the straddling messages in its channel; returns every
    /// live id of the channel, ascending.
    static func addStraddling(to store: any ArchiveStore) async throws -> [UInt64] {
        let older = try await store.messageIDs(in: ServeFixture.channel, includeDeleted: false).map(\.rawValue)
        #expect(older.allSatisfy { $0 < Self.straddling[0].rawValue })
        try await store.storeMessagePage(
            MessagePage(
                channelId: ServeFixture.channel, guildId: ServeFixture.guild,
                messages: try straddling.map { try ServeFixture.decode(messageJSON($0)) }))
        return older + straddling.map(\.rawValue)
    }

    /// The checks, on a server over `store`.
    static func expectDiscordsOrder(_ store: any ArchiveStore) async throws {
        let live = try await addStraddling(to: store)
        #expect(live.contains { $0 >= UInt64(1) << 63 })
        let server = ArchiveServer(store: store, configuration: ServeConfiguration())
        try await Application(router: server.makeRouter()).test(.router) { client in
            let channel = ServeFixture.channel
            let messages = "/api/v10/channels/\(channel)/messages"
            // Newest first with `before`, 7 at a time: every message once, across 2^63.
            var newestFirst: [UInt64] = []
            var query = "?limit=7"
            while true {
                let (_, body, _) = try await ServeRoutesTests.get(client, messages + query)
                let ids = try ServeRoutesTests.ids(body)
                guard let oldest = ids.last else { break }
                newestFirst += ids
                query = "?limit=7&before=\(oldest)"
            }
            #expect(newestFirst == live.reversed())
            // Oldest first with `after` from 0 (discord.py's oldest_first).
            var oldestFirst: [UInt64] = []
            var cursor: UInt64 = 0
            while true {
                let (_, body, _) = try await ServeRoutesTests.get(client, messages + "?limit=7&after=\(cursor)")
                let ids = try ServeRoutesTests.ids(body)
                guard let newest = ids.first else { break }
                oldestFirst += ids.reversed()
                cursor = newest
            }
            #expect(oldestFirst == live)
            // `around` the first id above 2^63: three newer, itself, two older.
            let pivot = try #require(live.firstIndex { $0 >= UInt64(1) << 63 })
            let (_, around, _) = try await ServeRoutesTests.get(client, messages + "?limit=6&around=\(live[pivot])")
            #expect(try ServeRoutesTests.ids(around) == Array(live[pivot - 2...pivot + 3].reversed()))
            // `after` the largest id below 2^63: only the ids above it, in their bytes (unsigned decimal).
            let (_, above, _) = try await ServeRoutesTests.get(client, messages + "?limit=100&after=\(Int64.max)")
            #expect(try ServeRoutesTests.ids(above) == Array(live[pivot...].reversed()))
            #expect(above.contains("\"id\":\"\(live.last!)\""))
            #expect(!above.contains("\"-"))
            // Search, newest first, paged by its cursor.
            var found: [UInt64] = []
            var next: String?
            repeat {
                let cursorQuery = next.map { "&cursor=\($0)" } ?? ""
                let (_, body, _) = try await ServeRoutesTests.get(
                    client, "/skald/api/search?q=far%20future&limit=5" + cursorQuery)
                let page = try #require(try ServeRoutesTests.json(body) as? [String: Any])
                let results = try #require(page["results"] as? [[String: Any]])
                found += results.compactMap { ($0["message"] as? [String: Any])?["id"] as? String }
                    .compactMap(UInt64.init)
                next = page["next"] as? String
            } while next != nil
            #expect(found == straddling.map(\.rawValue).reversed())
        }
    }

    @Test func sqliteServesIdsAcross2To63InDiscordsOrder() async throws {
        try await TemporaryArchive.with { path in
            try await Self.expectDiscordsOrder(try await ServeFixture.makeArchive(at: path, count: 40))
        }
    }

    @Test(.enabled(if: ServePostgres.isWanted)) func postgresServesIdsAcross2To63InDiscordsOrder() async throws {
        try await ServePostgres.withArchive { store in try await Self.expectDiscordsOrder(store) }
    }
}
