import DiscordModels
import DiscordSimulator
import Foundation
import TestSupport
import Testing

/// The simulator's Search Guild Messages (`GET /guilds/{g}/messages/search`) against discord-api-docs: the limits
/// and their 400s, the answer's shape, the filters against every message the history route lists, permissions and
/// intents, the 202 of an index not built yet, and the route's own rate-limit bucket.
@Suite(.serialized) struct GuildSearchTests {
    /// The search route of the first guild with `query`.
    static func search(_ http: SimHTTP, _ sim: SimulatorServer, _ query: String) async throws -> SimHTTP.Reply {
        try await http.get("/guilds/\(sim.guildIDs[0])/messages/search" + (query.isEmpty ? "" : "?" + query))
    }

    /// The ids of a search answer's messages, and each inner array's size.
    static func found(_ reply: SimHTTP.Reply) -> (ids: [UInt64], sizes: [Int]) {
        let groups = reply.object["messages"] as? [[[String: Any]]] ?? []
        return (
            groups.compactMap { ($0.first?["id"] as? String).flatMap(UInt64.init) }, groups.map(\.count)
        )
    }

    /// Every message of the readable channels through the history route, newest first by channel.
    static func everyMessage(_ http: SimHTTP, channels: [Snowflake<DiscordModels.Channel>]) async throws
        -> [[String: Any]]
    {
        var all: [[String: Any]] = []
        for channel in channels {
            var before = UInt64.max
            while true {
                let page = try await http.get("/channels/\(channel)/messages?before=\(before)&limit=100")
                guard page.status == 200 else { break }
                all += page.array
                guard page.array.count == 100, let last = ids(page).last else { break }
                before = last
            }
        }
        return all
    }

    @Test("a value outside Discord's limits is 400 50035 naming the field and its error")
    func limitsAreRefused() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let cases: [(String, String, String)] = [
                ("limit=0", "limit", "NUMBER_TYPE_MIN"), ("limit=26", "limit", "NUMBER_TYPE_MAX"),
                ("offset=9976", "offset", "NUMBER_TYPE_MAX"), ("offset=-1", "offset", "NUMBER_TYPE_MIN"),
                ("slop=101", "slop", "NUMBER_TYPE_MAX"), ("min_id=abc", "min_id", "NUMBER_TYPE_COERCE"),
                ("content=" + String(repeating: "a", count: 1025), "content", "BASE_TYPE_MAX_LENGTH"),
                ("has=image&has=bogus", "has", "ENUM_TYPE_COERCE"), ("sort_by=oldest", "sort_by", "ENUM_TYPE_COERCE"),
                ("sort_order=up", "sort_order", "ENUM_TYPE_COERCE"), ("pinned=maybe", "pinned", "BOOLEAN_TYPE_CONVERT"),
                ("author_type=robot", "author_type", "ENUM_TYPE_COERCE"),
                ((0...500).map { "channel_id=\($0 + 1)" }.joined(separator: "&"), "channel_id", "BASE_TYPE_MAX_LENGTH"),
            ]
            for (query, field, code) in cases {
                let reply = try await Self.search(http, sim, query)
                #expect(reply.status == 400 && reply.object["code"] as? Int == 50035, "\(field)")
                let errors = reply.object["errors"] as? [String: Any]
                // An array's element is named by its index (`has.1`).
                let tree =
                    (errors?[field] as? [String: Any]).map { node in
                        node["_errors"] == nil ? node.values.compactMap { $0 as? [String: Any] }.first : node
                    } ?? nil
                let first = (tree?["_errors"] as? [[String: Any]])?.first
                #expect(first?["code"] as? String == code, "\(field): \(reply.object)")
            }
            #expect(try await Self.search(http, sim, "limit=25&offset=9975").status == 200)
            #expect(try await http.get("/guilds/1/messages/search").object["code"] as? Int == 10004)
        }
    }

    @Test(
        "results are one message per inner array without reactions, the filters those of the history route's messages")
    func filtersAgreeWithTheHistory() async throws {
        // No threads: the history route of the guild's channels then lists every message the search can find.
        try await SimulatorServer.withRunning(makeConfig { $0.threadsPerGuild = 0 }) { sim in
            let http = SimHTTP(sim: sim)
            let channels = sim.messageChannelIDs(guild: sim.guildIDs[0])
            let all = try await Self.everyMessage(http, channels: channels)
            let readable = Set(all.compactMap { $0["channel_id"] as? String })
            #expect(!readable.contains(channels[4].description) && !readable.contains(channels[5].description))
            func ids(of messages: [[String: Any]]) -> [UInt64] {
                messages.compactMap { ($0["id"] as? String).flatMap(UInt64.init) }.sorted(by: >)
            }
            /// Every result of `query`, paged 25 at a time by offset.
            func everyResult(_ query: String) async throws -> (ids: [UInt64], total: Int) {
                var result: [UInt64] = []
                var total = -1
                while true {
                    let reply = try await Self.search(http, sim, query + "&offset=\(result.count)")
                    #expect(reply.status == 200)
                    let (page, sizes) = Self.found(reply)
                    #expect(sizes.allSatisfy { $0 == 1 })
                    total = reply.object["total_results"] as? Int ?? -1
                    result += page
                    if page.count < 25 { break }
                }
                return (result, total)
            }
            let everything = try await everyResult("limit=25")
            #expect(everything.ids == ids(of: all) && everything.total == all.count)
            let first = try await Self.search(http, sim, "")
            #expect(first.object["doing_deep_historical_index"] as? Bool == false)
            let firstMessages = (first.object["messages"] as? [[[String: Any]]] ?? []).flatMap { $0 }
            #expect(firstMessages.count == 25 && firstMessages.allSatisfy { $0["reactions"] == nil })
            // The spec's `SearchMessageResponse` requires `hit`.
            #expect(firstMessages.allSatisfy { $0["hit"] as? Bool == true })
            #expect(all.contains { $0["reactions"] != nil }, "some messages have reactions to strip")

            let author = try #require((all[0]["author"] as? [String: Any])?["id"] as? String)
            let byAuthor = try await everyResult("author_id=\(author)")
            #expect(
                byAuthor.ids == ids(of: all.filter { ($0["author"] as? [String: Any])?["id"] as? String == author }))
            // `content`: the words in order, at most `slop` (2) words apart, any case.
            func words(_ message: [String: Any]) -> [String] {
                GuildSearchParameters.words(of: message["content"] as? String ?? "").map { $0.lowercased() }
            }
            let saga = try await everyResult("content=SAGA")
            #expect(saga.ids == ids(of: all.filter { words($0).contains("saga") }) && !saga.ids.isEmpty)
            let adjacent = try await everyResult("content=the%20skald&slop=0")
            let adjacentTruth = all.filter { message in
                let w = words(message)
                return w.indices.dropLast().contains { w[$0] == "the" && w[$0 + 1] == "skald" }
            }
            #expect(adjacent.ids == ids(of: adjacentTruth))
            let loose = try await everyResult("content=the%20skald")
            #expect(loose.ids.count >= adjacent.ids.count && Set(adjacent.ids).isSubset(of: loose.ids))
            let images = try await everyResult("has=image")
            let imageTruth = all.filter { message in
                (message["attachments"] as? [[String: Any]] ?? []).contains {
                    ($0["content_type"] as? String)?.hasPrefix("image/") == true
                }
            }
            #expect(images.ids == ids(of: imageTruth) && !images.ids.isEmpty)
            let noFile = try await everyResult("has=-file")
            #expect(noFile.ids == ids(of: all.filter { ($0["attachments"] as? [Any] ?? []).isEmpty }))
            let pinned = try await everyResult("pinned=true")
            #expect(pinned.ids == ids(of: all.filter { $0["pinned"] as? Bool == true }) && !pinned.ids.isEmpty)
            // Oldest first is the reverse; min_id and max_id are exclusive.
            let oldest = try await everyResult("sort_order=asc")
            #expect(oldest.ids == everything.ids.reversed())
            let (low, high) = (everything.ids[200], everything.ids[100])
            let window = try await everyResult("min_id=\(low)&max_id=\(high)")
            #expect(window.ids == everything.ids.filter { $0 > low && $0 < high })
            let inChannel = try await everyResult("channel_id=\(channels[0])")
            #expect(inChannel.ids == ids(of: all.filter { $0["channel_id"] as? String == channels[0].description }))
        }
    }

    @Test("channels the bot cannot read are left out, and naming one is 403; without MESSAGE_CONTENT search is 403")
    func permissionsAndIntent() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let channels = sim.messageChannelIDs(guild: sim.guildIDs[0])
            for hidden in [channels[4], channels[5]] {
                let reply = try await Self.search(http, sim, "channel_id=\(hidden)")
                #expect(reply.status == 403 && reply.object["code"] as? Int == 50001)
            }
        }
        try await SimulatorServer.withRunning(makeConfig { $0.messageContentIntent = false }) { sim in
            let reply = try await Self.search(SimHTTP(sim: sim), sim, "content=saga")
            #expect(reply.status == 403 && reply.object["code"] as? Int == 50001)
        }
    }

    @Test("a guild not indexed yet answers 202 with code 110000 and retry_after, then 200")
    func indexNotReadyThenResults() async throws {
        try await SimulatorServer.withRunning(makeConfig { $0.searchIndexWarmup = 2 }) { sim in
            let http = SimHTTP(sim: sim)
            for _ in 0..<2 {
                let reply = try await Self.search(http, sim, "content=saga")
                #expect(reply.status == 202)
                #expect(reply.object["code"] as? Int == 110_000 && reply.object["retry_after"] as? Int == 2)
                #expect(reply.object["documents_indexed"] as? Int == 0 && reply.object["messages"] == nil)
            }
            #expect(try await Self.search(http, sim, "content=saga").status == 200)
            // The admin switch makes a guild unindexed again while running.
            try await SimulatorAdmin.post(
                sim, "/__sim/mutate", ["op": "searchIndex", "guildId": sim.guildIDs[0].description, "pending": 1])
            #expect(try await Self.search(http, sim, "").status == 202)
            #expect(try await Self.search(http, sim, "").status == 200)
        }
    }

    @Test("search has its own rate-limit bucket, per guild")
    func ownBucket() async throws {
        try await SimulatorServer.withRunning(makeConfig { $0.rateLimits = .discord }) { sim in
            let http = SimHTTP(sim: sim)
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            let search = try await Self.search(http, sim, "limit=1")
            let history = try await http.get("/channels/\(channel)/messages?limit=1")
            let bucket = search.headers.first(name: "X-RateLimit-Bucket")
            #expect(bucket != nil && bucket != history.headers.first(name: "X-RateLimit-Bucket"))
            #expect(search.headers.first(name: "X-RateLimit-Limit") == "5")
            let replies = try await http.burst("/guilds/\(sim.guildIDs[0])/messages/search?limit=1", count: 6)
            #expect(replies.contains { $0.status == 429 })
        }
    }
}
