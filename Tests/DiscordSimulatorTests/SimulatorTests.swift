import AsyncHTTPClient
import DiscordModels
import DiscordSimulator
import Foundation
import Testing

@Suite(.serialized) struct MessageListTests {
    @Test func afterPagingSeesEveryMessageOnceNewestFirst() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            var cursor: UInt64 = 0
            var seen: [UInt64] = []
            while true {
                let page = try await http.get("/channels/\(channel)/messages?after=\(cursor)&limit=100")
                #expect(page.status == 200)
                let pageIds = ids(page)
                #expect(pageIds == pageIds.sorted(by: >), "pages are newest first")
                seen += pageIds.reversed()
                if pageIds.count < 100 { break }
                cursor = pageIds[0]
            }
            let truth = await sim.truthMessageIDs(channel: channel).map(\.rawValue)
            #expect(seen == truth)
            #expect(Set(seen).count == 300)
            let stats = await sim.stats()
            #expect(stats.duplicatePages == 0)

            // before-paging from the top sees the same set.
            var before: [UInt64] = []
            var beforeCursor = UInt64.max
            while true {
                let page = ids(try await http.get("/channels/\(channel)/messages?before=\(beforeCursor)&limit=100"))
                before += page
                if page.count < 100 { break }
                beforeCursor = page.last!
            }
            #expect(before.reversed() == truth)
            // around includes the pivot.
            let pivot = truth[150]
            let around = ids(try await http.get("/channels/\(channel)/messages?around=\(pivot)&limit=10"))
            #expect(around.contains(pivot) && around.count == 10 && around == around.sorted(by: >))
            // default limit is 50
            #expect(ids(try await http.get("/channels/\(channel)/messages")).count == 50)
        }
    }

    @Test func limitAndCursorValidation() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            for (limit, code) in [(0, "NUMBER_TYPE_MIN"), (101, "NUMBER_TYPE_MAX")] {
                let reply = try await http.get("/channels/\(channel)/messages?limit=\(limit)")
                #expect(reply.status == 400)
                #expect(reply.object["code"] as? Int == 50035)
                let errors = (reply.object["errors"] as? [String: Any])?["limit"] as? [String: Any]
                let first = (errors?["_errors"] as? [[String: Any]])?.first
                #expect(first?["code"] as? String == code)
            }
            let both = try await http.get("/channels/\(channel)/messages?before=1&after=2")
            #expect(both.status == 400)

            try await SimulatorServer.withRunning(makeConfig { $0.cursorMode = .discord }) { lenient in
                let lenientChannel = lenient.messageChannelIDs(guild: lenient.guildIDs[0])[0]
                let honoured = try await SimHTTP(sim: lenient).get(
                    "/channels/\(lenientChannel)/messages?before=1&after=0")
                #expect(honoured.status == 200 && honoured.array.count == 50)
            }
        }
    }

    @Test func permissionsAndErrors() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let channels = sim.messageChannelIDs(guild: sim.guildIDs[0])
            let hidden = try await http.get("/channels/\(channels[5])/messages")
            #expect(hidden.status == 403 && hidden.object["code"] as? Int == 50001)
            let noHistory = try await http.get("/channels/\(channels[4])/messages")
            #expect(noHistory.status == 200 && noHistory.array.isEmpty)
            let truth = await sim.truthChannel(channels[4])
            #expect(truth?.viewable == true && truth?.readable == false)
            #expect(try await http.get("/channels/1/messages").object["code"] as? Int == 10003)
            #expect(try await http.get("/guilds/1").object["code"] as? Int == 10004)
            #expect(try await http.get("/channels/\(channels[0])/messages/1").object["code"] as? Int == 10008)
            let unknown = try await http.get("/nope/route")
            #expect(unknown.status == 404 && unknown.object["code"] as? Int == 0)
            let bad = try await SimHTTP(sim: sim, token: "wrong").get("/users/@me")
            #expect(bad.status == 401 && bad.object["message"] as? String == "401: Unauthorized")
            // guild channels never include threads; active threads exclude archived ones
            let listed = try await http.get("/guilds/\(sim.guildIDs[0])/channels").array
            #expect(!listed.contains { [10, 11, 12].contains($0["type"] as? Int ?? -1) })
            let active = try await http.get("/guilds/\(sim.guildIDs[0])/threads/active").object
            let activeThreads = active["threads"] as? [[String: Any]] ?? []
            #expect(
                activeThreads.allSatisfy { ($0["thread_metadata"] as? [String: Any])?["archived"] as? Bool == false })
        }
    }

    @Test func tenMillionMessagesPageNearTheEnd() async throws {
        try await SimulatorServer.withRunning(
            makeConfig {
                $0.channelsPerGuild = 1
                $0.messagesPerChannel = 10_000_000
                $0.threadsPerGuild = 0
            }
        ) { sim in
            let http = SimHTTP(sim: sim)
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            #expect(await sim.truthMessageCount(channel: channel) == 10_000_000)
            // Pages near the end of ten million messages come straight from the generator (no timing asserted here:
            // speed is the benchmark's business).
            let latest = try await http.get("/channels/\(channel)/messages?limit=100")
            let near = ids(latest)[99]
            let page = try await http.get("/channels/\(channel)/messages?before=\(near)&limit=100")
            #expect(ids(page).count == 100 && ids(page)[0] < near)
            #expect(ids(page) == ids(page).sorted(by: >))
        }
    }

    @Test func sameSeedSameBytes() async throws {
        let a = try await SimulatorServer.start(makeConfig())
        let b = try await SimulatorServer.start(makeConfig())
        defer {
            Task {
                await a.shutdown()
                await b.shutdown()
            }
        }
        let channel = a.messageChannelIDs(guild: a.guildIDs[0])[0]
        #expect(channel == b.messageChannelIDs(guild: b.guildIDs[0])[0])
        func strip(_ bytes: [UInt8]) -> String {
            // Attachment URLs carry the port and the issue time; compare everything else.
            String(decoding: bytes, as: UTF8.self).replacingOccurrences(
                of: #"http://127\.0\.0\.1:\d+"#, with: "", options: .regularExpression
            )
            .replacingOccurrences(
                of: #"\?ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]+&"#, with: "", options: .regularExpression)
        }
        let pageA = try await SimHTTP(sim: a).get("/channels/\(channel)/messages?limit=100")
        let pageB = try await SimHTTP(sim: b).get("/channels/\(channel)/messages?limit=100")
        #expect(strip(pageA.body) == strip(pageB.body))
        #expect(strip(pageA.body).contains("\"referenced_message\""))
    }

    @Test func mutateAndTruth() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            let truth = await sim.truthMessageIDs(channel: channel)
            let created = try await http.send(
                .POST, "/__sim/mutate", api: false,
                json: #"{"op":"create","channelId":"\#(channel)","content":"fresh 😀"}"#)
            let newId = UInt64(created.object["id"] as? String ?? "") ?? 0
            #expect(newId > truth.last!.rawValue)
            _ = try await http.send(
                .POST, "/__sim/mutate", api: false,
                json: #"{"op":"delete","channelId":"\#(channel)","messageId":"\#(truth[10])"}"#)
            _ = try await http.send(
                .POST, "/__sim/mutate", api: false,
                json: #"{"op":"edit","channelId":"\#(channel)","messageId":"\#(truth[11])","content":"edited"}"#)
            let latest = try await http.get("/channels/\(channel)/messages?limit=1")
            #expect(latest.array.first?["content"] as? String == "fresh 😀")
            let edited = try await http.get("/channels/\(channel)/messages/\(truth[11])")
            #expect(edited.object["content"] as? String == "edited" && edited.object["edited_timestamp"] is String)
            #expect(try await http.get("/channels/\(channel)/messages/\(truth[10])").status == 404)
            let rows = try await http.get("/__sim/truth/channels/\(channel)/messages", api: false).array
            #expect(rows.count == 301)
            #expect(rows.first { $0["id"] as? String == "\(truth[10])" }?["deleted"] as? Bool == true)
            let around = ids(try await http.get("/channels/\(channel)/messages?after=\(truth[5])&limit=10"))
            #expect(!around.contains(truth[10].rawValue) && around.count == 10)
            let posted = try await http.send(
                .POST, "/channels/\(channel)/messages", json: #"{"content":"hi","nonce":"n1","enforce_nonce":true}"#)
            let again = try await http.send(
                .POST, "/channels/\(channel)/messages", json: #"{"content":"hi","nonce":"n1","enforce_nonce":true}"#)
            #expect(posted.status == 200 && posted.object["id"] as? String == again.object["id"] as? String)
            #expect(
                try await http.send(.POST, "/channels/\(channel)/messages", json: "{}").object["code"] as? Int == 50006)
        }
    }
}

@Suite(.serialized) struct RateLimitTests {
    @Test func bucketHeadersAndUser429() async throws {
        let time = VirtualTime()
        try await SimulatorServer.withRunning(
            makeConfig {
                $0.rateLimits = .discord
                $0.bucketOverrides = ["messages": .init(limit: 3, window: .seconds(4))]
                $0.clock = time.clock
            }
        ) { sim in
            let http = SimHTTP(sim: sim)
            let channels = sim.messageChannelIDs(guild: sim.guildIDs[0])
            var remaining: [String] = []
            for _ in 0..<3 {
                let reply = try await http.get("/channels/\(channels[0])/messages?limit=1")
                #expect(reply.status == 200)
                remaining.append(reply.headers.first(name: "X-RateLimit-Remaining") ?? "")
                #expect(reply.headers.first(name: "X-RateLimit-Bucket") != nil)
                #expect(reply.headers.first(name: "X-RateLimit-Reset-After")?.contains(".") == true)
            }
            #expect(remaining == ["2", "1", "0"])
            let limited = try await http.get("/channels/\(channels[0])/messages?limit=1")
            #expect(limited.status == 429)
            #expect(limited.headers.first(name: "X-RateLimit-Scope") == "user")
            #expect(limited.object["message"] as? String == "You are being rate limited.")
            #expect(limited.object["global"] as? Bool == false)
            let retryAfter = limited.object["retry_after"] as? Double ?? 0
            #expect(limited.headers.first(name: "Retry-After") == String(Int(retryAfter.rounded(.up))))
            // another channel counts separately
            #expect(try await http.get("/channels/\(channels[1])/messages?limit=1").status == 200)
            // The virtual clock passes the window: nothing waits in real time.
            time.advance(by: .milliseconds(Int(retryAfter * 1000) + 1))
            #expect(try await http.get("/channels/\(channels[0])/messages?limit=1").status == 200)
            let stats = await sim.stats()
            #expect(stats.rateLimited.user == 1 && stats.invalidRequests == 1)
        }
    }

    @Test func lyingHeadersAndHiddenPerTokenLimit() async throws {
        let time = VirtualTime()
        try await SimulatorServer.withRunning(
            makeConfig {
                $0.rateLimits = .discord
                $0.bucketOverrides = ["messages": .init(limit: 3, window: .seconds(4))]
                $0.lyingHeaders = true
                $0.hiddenMessageLimitPerSecond = 4
                $0.clock = time.clock
            }
        ) { sim in
            let http = SimHTTP(sim: sim)
            let channels = sim.messageChannelIDs(guild: sim.guildIDs[0])
            var remaining: [String] = []
            for _ in 0..<3 {
                let reply = try await http.get("/channels/\(channels[0])/messages?limit=1")
                #expect(reply.status == 200)
                #expect(reply.headers.first(name: "X-RateLimit-Limit") == "6")
                remaining.append(reply.headers.first(name: "X-RateLimit-Remaining") ?? "")
            }
            #expect(remaining == ["5", "4", "3"])
            // The bucket enforces 3 although its headers still say 3 remain.
            let lied = try await http.get("/channels/\(channels[0])/messages?limit=1")
            #expect(lied.status == 429)
            #expect(lied.headers.first(name: "X-RateLimit-Scope") == "user")
            #expect(lied.headers.first(name: "X-RateLimit-Remaining") == "3")
            // A fresh channel: its bucket has room, but the token's hidden 4 per second is spent after one more.
            #expect(try await http.get("/channels/\(channels[1])/messages?limit=1").status == 200)
            let hidden = try await http.get("/channels/\(channels[1])/messages?limit=1")
            #expect(hidden.status == 429)
            #expect(hidden.headers.first(name: "X-RateLimit-Remaining") == "5")
            #expect((hidden.object["retry_after"] as? Double ?? 9) <= 1)
            // Other routes are not under the hidden limit.
            #expect(try await http.get("/channels/\(channels[1])").status == 200)
            var stats = await sim.stats()
            #expect(stats.rateLimited.user == 2 && stats.rateLimited.hidden == 1)
            #expect(stats.rateLimited.despiteRemaining == 2 && stats.invalidRequests == 2)
            time.advance(by: .milliseconds(1001))  // virtual clock: the hidden window passes
            #expect(try await http.get("/channels/\(channels[1])/messages?limit=1").status == 200)
            stats = await sim.stats()
            #expect(stats.rateLimited.user == 2)
        }
    }

    @Test func globalLimit() async throws {
        try await SimulatorServer.withRunning(
            makeConfig {
                $0.rateLimits = .discord
                $0.globalLimitPerSecond = 2
                $0.bucketOverrides = ["user": .init(limit: 1000, window: .seconds(1))]
            }
        ) { sim in
            let http = SimHTTP(sim: sim)
            let replies = try await http.burst("/users/@me", count: 12)
            let last = replies.first { $0.status == 429 }
            #expect(last?.status == 429)
            #expect(last?.headers.first(name: "X-RateLimit-Global") == "true")
            #expect(last?.headers.first(name: "X-RateLimit-Scope") == "global")
            #expect(last?.headers.first(name: "X-RateLimit-Bucket") == nil)
            #expect(last?.object["global"] as? Bool == true)
        }
    }

    @Test func invalidRequestBan() async throws {
        let time = VirtualTime()
        try await SimulatorServer.withRunning(
            makeConfig {
                $0.invalidRequestThreshold = 5
                $0.banDuration = .seconds(4)
                $0.clock = time.clock
            }
        ) { sim in
            let bad = SimHTTP(sim: sim, token: "nope")
            for _ in 0..<5 { #expect(try await bad.get("/users/@me").status == 401) }
            let banned = try await SimHTTP(sim: sim).get("/users/@me")
            #expect(banned.status == 429)
            #expect(banned.headers.first(name: "Content-Type")?.hasPrefix("text/html") == true)
            #expect(banned.json == nil)
            time.advance(by: .milliseconds(3990))
            #expect(try await SimHTTP(sim: sim).get("/users/@me").status == 429)
            time.advance(by: .milliseconds(20))  // on the virtual clock: the ban lifts without waiting
            #expect(try await SimHTTP(sim: sim).get("/users/@me").status == 200)
        }
    }

    @Test func faultsDoNotConsumeBuckets() async throws {
        try await SimulatorServer.withRunning(
            makeConfig {
                $0.rateLimits = .discord
                $0.faultRate = 0.5
                $0.bucketOverrides = ["messages": .init(limit: 1000, window: .seconds(60))]
            }
        ) { sim in
            let http = SimHTTP(sim: sim)
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            var successes = 0
            var lastRemaining = 1000
            for _ in 0..<40 {
                guard let reply = try? await http.get("/channels/\(channel)/messages?limit=1") else { continue }
                if reply.status == 200 {
                    successes += 1
                    lastRemaining = Int(reply.headers.first(name: "X-RateLimit-Remaining") ?? "") ?? -1
                }
            }
            let stats = await sim.stats()
            #expect(stats.faultsTotal > 0)
            #expect(successes + stats.faultsTotal == 40)
            #expect(lastRemaining == 1000 - successes)
        }
    }
}

@Suite(.serialized) struct CDNTests {
    @Test func signedURLsExpireAndRejectBadSignatures() async throws {
        let time = VirtualTime()
        try await SimulatorServer.withRunning(
            makeConfig {
                $0.attachmentURLLifetime = .seconds(4)
                $0.messagesPerChannel = 400
                $0.clock = time.clock
            }
        ) { sim in
            let http = SimHTTP(sim: sim)
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            var url: String?
            var size = 0
            var before = UInt64.max
            while url == nil {
                let page = try await http.get("/channels/\(channel)/messages?limit=100&before=\(before)")
                for message in page.array {
                    if let attachment = (message["attachments"] as? [[String: Any]])?.first {
                        url = attachment["url"] as? String
                        size = attachment["size"] as? Int ?? 0
                        break
                    }
                }
                guard let last = ids(page).last else { break }
                before = last
            }
            let signed = try #require(url)
            #expect(signed.contains("?ex=") && signed.contains("&is=") && signed.contains("&hm="))
            let ok = try await http.get(signed)
            #expect(ok.status == 200 && ok.body.count == size)
            let tampered = signed.replacingOccurrences(of: "&hm=", with: "&hm=00")
            #expect(try await http.get(tampered).status == 403)
            time.advance(by: .milliseconds(5100))  // virtual clock: the URL expires without waiting
            let expired = try await http.get(signed)
            #expect(expired.status == 404 || expired.status == 403)
        }
    }
}

/// Unsigned CDN assets as discord-api.md §6 gives them: what the world holds, at a size the docs allow. Before, every
/// path under a known prefix was answered with an image (any hash, any size), so a client asking for a wrong avatar
/// or an unsupported size could not be caught.
@Suite struct CDNAssetTests {
    @Test func assetsAreServedForWhatExistsAtDocumentedSizes() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let guild = sim.guildIDs[0]
            func status(_ path: String) async throws -> Int { try await http.get(sim.cdnBase + path).status }
            let icon = try #require(try await http.get("/guilds/\(guild)").object["icon"] as? String)
            #expect(try await status("/icons/\(guild)/\(icon).png?size=512") == 200)
            #expect(try await status("/icons/\(guild)/\(icon).webp?size=16") == 200)
            #expect(try await status("/icons/\(guild)/\(icon).png?size=500") == 400)
            #expect(try await status("/icons/\(guild)/\(icon).png?size=8192") == 400)
            #expect(try await status("/icons/\(guild)/0123456789abcdef0123456789abcdef.png") == 404)
            let members = try await http.get("/guilds/\(guild)/members?limit=50").array
            let user = try #require(
                members.compactMap { $0["user"] as? [String: Any] }.first { $0["avatar"] is String })
            let id = try #require(user["id"] as? String)
            let avatar = try #require(user["avatar"] as? String)
            #expect(try await status("/avatars/\(id)/\(avatar).png?size=512") == 200)
            #expect(try await status("/avatars/\(id)/\(avatar).gif") == (avatar.hasPrefix("a_") ? 200 : 404))
            #expect(try await status("/avatars/\(id)/ffffffffffffffffffffffffffffffff.png") == 404)
            #expect(try await status("/embed/avatars/5.png") == 200)
            #expect(try await status("/embed/avatars/6.png") == 404)
            let emoji = try #require(try await http.get("/guilds/\(guild)/emojis").array.first?["id"] as? String)
            #expect(try await status("/emojis/\(emoji).webp?size=64") == 200)
            #expect(try await status("/emojis/1.png") == 404)
            for sticker in try await http.get("/guilds/\(guild)/stickers").array {
                let id = try #require(sticker["id"] as? String)
                let format = sticker["format_type"] as? Int ?? 1
                let own = format == 3 ? "json" : format == 4 ? "gif" : "png"
                #expect(try await status("/stickers/\(id).\(own)") == 200, "format \(format)")
                #expect(try await status("/stickers/\(id).\(own == "png" ? "json" : "png")") == 404, "format \(format)")
            }
            #expect(try await status("/role-icons/1/abc.png") == 404)
        }
    }
}
