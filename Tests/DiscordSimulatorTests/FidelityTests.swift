import DiscordModels
import DiscordSimulator
import Foundation
import Testing

/// The gaps the proof harness found: the `Via` header, the application route, event, emoji, sticker and
/// thread-member routes, separate bots per token, and `last_message_id` / timestamps of runtime changes.
@Suite(.serialized) struct FidelityTests {
    @Test func viaHeaderOnJSONAnswersButNotOnBans() async throws {
        try await SimulatorServer.withRunning(
            makeConfig {
                $0.rateLimits = .discord
                $0.bucketOverrides = ["user": .init(limit: 1, window: .seconds(10))]
                $0.invalidRequestThreshold = 4
                $0.banDuration = .seconds(30)
            }
        ) { sim in
            let http = SimHTTP(sim: sim)
            let ok = try await http.get("/users/@me")
            #expect(ok.status == 200 && ok.headers.first(name: "Via") == "1.1 google")
            let limited = try await http.get("/users/@me")
            #expect(limited.status == 429 && limited.json != nil)
            #expect(limited.headers.first(name: "Via") == "1.1 google")
            let unknown = try await http.get("/nope")
            #expect(unknown.status == 404 && unknown.headers.first(name: "Via") == "1.1 google")
            let bad = try await SimHTTP(sim: sim, token: "wrong").get("/users/@me")
            #expect(bad.status == 401 && bad.headers.first(name: "Via") == "1.1 google")
            // 204s pass the same front end.
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            let hook = try await http.send(.POST, "/channels/\(channel)/webhooks", json: #"{"name":"Via"}"#).object
            let hookPath = "/webhooks/\(hook["id"] as? String ?? "")/\(hook["token"] as? String ?? "")"
            let executed = try await SimHTTP(sim: sim, token: nil).send(.POST, hookPath, json: #"{"content":"v"}"#)
            #expect(executed.status == 204 && executed.headers.first(name: "Via") == "1.1 google")
            // Two more invalid answers reach the threshold (4): the Cloudflare ban page has no Via.
            _ = try await SimHTTP(sim: sim, token: "wrong").get("/users/@me")
            _ = try await SimHTTP(sim: sim, token: "wrong").get("/users/@me")
            let banned = try await http.get("/users/@me")
            #expect(banned.status == 429 && banned.json == nil)
            #expect(banned.headers.first(name: "Via") == nil)
        }
    }

    @Test func globalLimitedAnswerCarriesVia() async throws {
        try await SimulatorServer.withRunning(
            makeConfig {
                $0.rateLimits = .discord
                $0.globalLimitPerSecond = 2
                $0.bucketOverrides = ["user": .init(limit: 1000, window: .seconds(1))]
            }
        ) { sim in
            let replies = try await SimHTTP(sim: sim).burst("/users/@me", count: 12)
            let last = replies.first { $0.status == 429 }
            #expect(last?.status == 429 && last?.headers.first(name: "X-RateLimit-Global") == "true")
            #expect(last?.headers.first(name: "Via") == "1.1 google")
        }
    }

    @Test func currentApplication() async throws {
        try await SimulatorServer.withRunning(makeConfig { $0.tokens = ["one", "two"] }) { sim in
            let app = try await SimHTTP(sim: sim, token: "one").get("/oauth2/applications/@me")
            #expect(app.status == 200)
            let object = app.object
            #expect(snowflake(object, "id") == sim.botUserIDs[0].rawValue)
            #expect(snowflake(object["bot"] as? [String: Any] ?? [:], "id") == sim.botUserIDs[0].rawValue)
            #expect(object["name"] as? String == "Skald Archiver" && object["icon"] is NSNull)
            #expect(object["description"] is String && object["bot_public"] is Bool)
            #expect(object["bot_require_code_grant"] as? Bool == false)
            #expect((object["verify_key"] as? String)?.count == 64)
            #expect(snowflake(object["owner"] as? [String: Any] ?? [:], "id") != nil && object["team"] is NSNull)
            // Both privileged intents on an unverified app: GATEWAY_GUILD_MEMBERS_LIMITED | ..._MESSAGE_CONTENT_LIMITED.
            #expect(object["flags"] as? Int == (1 << 15 | 1 << 19) && object["flags_new"] as? String == "557056")
            let second = try await SimHTTP(sim: sim, token: "two").get("/oauth2/applications/@me").object
            #expect(snowflake(second, "id") == sim.botUserIDs[1].rawValue)
            #expect(second["verify_key"] as? String != object["verify_key"] as? String)
            #expect(try await SimHTTP(sim: sim, token: "three").get("/oauth2/applications/@me").status == 401)

            try await SimulatorServer.withRunning(makeConfig { $0.messageContentIntent = false }) { limited in
                let flags = try await SimHTTP(sim: limited).get("/oauth2/applications/@me").object["flags"] as? Int
                #expect(flags == 1 << 15)
            }
        }
    }

    @Test func scheduledEventAndItsUsers() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let guild = sim.guildIDs[0]
            let events = try await http.get("/guilds/\(guild)/scheduled-events?with_user_count=true").array
            #expect(events.count == 3)
            let listed = try #require(events.last)
            let eventId = try #require(snowflake(listed, "id"))
            let single = try await http.get("/guilds/\(guild)/scheduled-events/\(eventId)")
            #expect(single.status == 200 && single.object["name"] as? String == listed["name"] as? String)
            #expect(single.object["user_count"] == nil)
            let counted = try await http.get("/guilds/\(guild)/scheduled-events/\(eventId)?with_user_count=true").object
            let total = try #require(counted["user_count"] as? Int)
            #expect(total == listed["user_count"] as? Int && total > 3)

            let unknown = try await http.get("/guilds/\(guild)/scheduled-events/1")
            #expect(unknown.status == 404 && unknown.object["code"] as? Int == 10070)
            let unknownUsers = try await http.get("/guilds/\(guild)/scheduled-events/1/users")
            #expect(unknownUsers.status == 404 && unknownUsers.object["code"] as? Int == 10070)
            // Another guild's event is unknown here.
            try await SimulatorServer.withRunning(makeConfig { $0.guilds = 2 }) { otherGuild in
                let foreign = try await SimHTTP(sim: otherGuild).get(
                    "/guilds/\(otherGuild.guildIDs[0])/scheduled-events"
                ).array
                let misplaced = try await SimHTTP(sim: otherGuild).get(
                    "/guilds/\(otherGuild.guildIDs[1])/scheduled-events/\(foreign[0]["id"] as? String ?? "")")
                #expect(misplaced.object["code"] as? Int == 10070)

                let base = "/guilds/\(guild)/scheduled-events/\(eventId)/users"
                let all = try await http.get(base)
                #expect(all.status == 200)
                let userIds = all.array.compactMap { snowflake($0, "user_id") }
                #expect(userIds.count == total && userIds == userIds.sorted() && Set(userIds).count == total)
                #expect(
                    all.array.allSatisfy { snowflake($0, "guild_scheduled_event_id") == eventId && $0["member"] == nil }
                )
                #expect(
                    all.array.allSatisfy {
                        snowflake($0["user"] as? [String: Any] ?? [:], "id") == snowflake($0, "user_id")
                    })
                // after pages upwards, before downwards (the users right below the cursor, ascending); both: before counts.
                func pageIds(_ query: String) async throws -> [UInt64] {
                    try await http.get("\(base)?\(query)").array.compactMap { snowflake($0, "user_id") }
                }
                let afterPage = try await pageIds("limit=3&after=\(userIds[1])")
                #expect(afterPage == Array(userIds[2..<5]))
                let beforePage = try await pageIds("limit=2&before=\(userIds[4])")
                #expect(beforePage == Array(userIds[2..<4]))
                let both = try await http.get("\(base)?limit=2&before=\(userIds[4])&after=\(userIds[0])").array
                #expect(both.compactMap { snowflake($0, "user_id") } == beforePage)
                let withMember = try await http.get("\(base)?with_member=true&limit=1").array
                #expect(withMember.count == 1 && (withMember.first?["member"] as? [String: Any])?["roles"] is [Any])
                for limit in [0, 101] {
                    let bad = try await http.get("\(base)?limit=\(limit)")
                    #expect(bad.status == 400 && bad.object["code"] as? Int == 50035)
                }
            }
        }
    }

    @Test func singleEmojiAndSticker() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let guild = sim.guildIDs[0]
            let emojis = try await http.get("/guilds/\(guild)/emojis").array
            let emoji = try await http.get("/guilds/\(guild)/emojis/\(emojis[1]["id"] as? String ?? "")")
            #expect(emoji.status == 200 && emoji.object["name"] as? String == emojis[1]["name"] as? String)
            #expect(emoji.object["user"] is [String: Any])  // the bot holds MANAGE_GUILD_EXPRESSIONS
            let unknownEmoji = try await http.get("/guilds/\(guild)/emojis/1")
            #expect(unknownEmoji.status == 404 && unknownEmoji.object["code"] as? Int == 10014)
            let stickers = try await http.get("/guilds/\(guild)/stickers").array
            let sticker = try await http.get("/guilds/\(guild)/stickers/\(stickers[0]["id"] as? String ?? "")")
            #expect(sticker.status == 200 && sticker.object["name"] as? String == stickers[0]["name"] as? String)
            let unknownSticker = try await http.get("/guilds/\(guild)/stickers/1")
            #expect(unknownSticker.status == 404 && unknownSticker.object["code"] as? Int == 10060)
        }
    }

    @Test func threadMembers() async throws {
        try await SimulatorServer.withRunning(makeConfig { $0.threadsPerGuild = 12 }) { sim in
            let http = SimHTTP(sim: sim)
            let guild = sim.guildIDs[0]
            let active = try await http.get("/guilds/\(guild)/threads/active").object
            let threads = active["threads"] as? [[String: Any]] ?? []
            let joined = Set((active["members"] as? [[String: Any]] ?? []).compactMap { snowflake($0, "id") })
            #expect(!threads.isEmpty && !joined.isEmpty)
            let bot = sim.botUserIDs[0].rawValue
            for thread in threads {
                let id = try #require(snowflake(thread, "id"))
                let reply = try await http.get("/channels/\(id)/thread-members")
                #expect(reply.status == 200)
                let users = reply.array.compactMap { snowflake($0, "user_id") }
                #expect(users == users.sorted() && !users.isEmpty)
                #expect(users.count == thread["member_count"] as? Int, "member_count agrees with the list")
                #expect(users.contains(bot) == joined.contains(id), "the bot is listed exactly in joined threads")
                #expect(reply.array.allSatisfy { snowflake($0, "id") == id && $0["join_timestamp"] is String })
                #expect(users.contains(snowflake(thread, "owner_id") ?? 0))
                // with_member pages by `after`.
                let first = try await http.get("/channels/\(id)/thread-members?with_member=true&limit=1").array
                #expect(first.count == 1 && first.first?["member"] is [String: Any])
                if users.count > 1 {
                    let rest = try await http.get("/channels/\(id)/thread-members?with_member=true&after=\(users[0])")
                        .array
                    #expect(rest.compactMap { snowflake($0, "user_id") } == Array(users.dropFirst()))
                }
            }
            let channel = sim.messageChannelIDs(guild: guild)[0]
            let notThread = try await http.get("/channels/\(channel)/thread-members")
            #expect(notThread.status == 400 && notThread.object["code"] as? Int == 50024)
            #expect(try await http.get("/channels/1/thread-members").object["code"] as? Int == 10003)

            try await SimulatorServer.withRunning(makeConfig { $0.guildMembersIntent = false }) { noIntent in
                let someThread = try #require(noIntent.threadIDs(guild: noIntent.guildIDs[0]).first)
                let refused = try await SimHTTP(sim: noIntent).get("/channels/\(someThread)/thread-members")
                #expect(refused.status == 403 && refused.object["code"] as? Int == 50001)
            }
        }
    }

    @Test func eachTokenIsItsOwnBotWithItsOwnLimits() async throws {
        try await SimulatorServer.withRunning(
            makeConfig {
                $0.tokens = ["alpha", "beta"]
                $0.rateLimits = .discord
                $0.bucketOverrides = ["user": .init(limit: 1, window: .seconds(10))]
            }
        ) { sim in
            #expect(sim.tokens == ["alpha", "beta"] && sim.botUserIDs.count == 2)
            let alpha = SimHTTP(sim: sim, token: "alpha")
            let beta = SimHTTP(sim: sim, token: "beta")
            let meAlpha = try await alpha.get("/users/@me")
            let meBeta = try await beta.get("/users/@me")
            #expect(meAlpha.status == 200 && meBeta.status == 200)
            #expect(snowflake(meAlpha.object, "id") == sim.botUserIDs[0].rawValue)
            #expect(snowflake(meBeta.object, "id") == sim.botUserIDs[1].rawValue)
            #expect(meAlpha.object["bot"] as? Bool == true && meBeta.object["bot"] as? Bool == true)
            // alpha's bucket is spent; beta's is its own.
            #expect(try await alpha.get("/users/@me").status == 429)
            let guildsBeta = try await beta.get("/users/@me/guilds")
            #expect(guildsBeta.status == 200 && guildsBeta.array.count == 1)
            // Both bots are members of the guild, and a message posted by beta is authored by beta.
            let guild = sim.guildIDs[0]
            for bot in sim.botUserIDs { #expect(try await beta.get("/guilds/\(guild)/members/\(bot)").status == 200) }
            let channel = sim.messageChannelIDs(guild: guild)[0]
            let posted = try await beta.send(.POST, "/channels/\(channel)/messages", json: #"{"content":"from beta"}"#)
            #expect(snowflake(posted.object["author"] as? [String: Any] ?? [:], "id") == sim.botUserIDs[1].rawValue)
        }
    }

    @Test func lastMessageIdFollowsCreatesAndSurvivesDeletes() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let guild = sim.guildIDs[0]
            let channel = sim.messageChannelIDs(guild: guild)[0].rawValue
            func lastIds() async throws -> (single: UInt64?, listed: UInt64?) {
                let single = snowflake(try await http.get("/channels/\(channel)").object, "last_message_id")
                let listed = try await http.get("/guilds/\(guild)/channels").array.first {
                    snowflake($0, "id") == channel
                }
                return (single, listed.flatMap { snowflake($0, "last_message_id") })
            }
            let generated = await sim.truthMessageIDs(channel: Snowflake(channel)).last?.rawValue
            var last = try await lastIds()
            #expect(last.single == generated && last.listed == generated)

            let posted = try await http.send(.POST, "/channels/\(channel)/messages", json: #"{"content":"new"}"#)
            let postedId = try #require(snowflake(posted.object, "id"))
            last = try await lastIds()
            #expect(last.single == postedId && last.listed == postedId)

            let hook = try await http.send(.POST, "/channels/\(channel)/webhooks", json: #"{"name":"Relay"}"#).object
            let hookPath = "/webhooks/\(hook["id"] as? String ?? "")/\(hook["token"] as? String ?? "")?wait=true"
            let relayed = try await SimHTTP(sim: sim, token: nil).send(.POST, hookPath, json: #"{"content":"relay"}"#)
            let relayedId = try #require(snowflake(relayed.object, "id"))
            last = try await lastIds()
            #expect(relayedId > postedId && last.single == relayedId && last.listed == relayedId)

            let mutated = try await http.send(
                .POST, "/__sim/mutate", api: false, json: #"{"op":"create","channelId":"\#(channel)","content":"sim"}"#)
            let mutatedId = try #require(snowflake(mutated.object, "id"))
            last = try await lastIds()
            #expect(mutatedId > relayedId && last.single == mutatedId && last.listed == mutatedId)

            // Deleting the newest message keeps last_message_id (Discord does not roll it back).
            #expect(try await http.send(.DELETE, "/channels/\(channel)/messages/\(mutatedId)").status == 204)
            last = try await lastIds()
            #expect(last.single == mutatedId && last.listed == mutatedId)
            #expect(ids(try await http.get("/channels/\(channel)/messages?limit=1")) == [relayedId])

            // Threads: GET /channels, the active list and the archived list follow created messages too.
            let threads =
                try await http.get("/guilds/\(guild)/threads/active").object["threads"] as? [[String: Any]] ?? []
            let thread = try #require(threads.first.flatMap { snowflake($0, "id") })
            let inThread = try await http.send(
                .POST, "/__sim/mutate", api: false, json: #"{"op":"create","channelId":"\#(thread)","content":"t"}"#)
            let inThreadId = try #require(snowflake(inThread.object, "id"))
            #expect(snowflake(try await http.get("/channels/\(thread)").object, "last_message_id") == inThreadId)
            let activeAgain =
                try await http.get("/guilds/\(guild)/threads/active").object["threads"] as? [[String: Any]]
            let activeEntry = activeAgain?.first { snowflake($0, "id") == thread }
            #expect(activeEntry.flatMap { snowflake($0, "last_message_id") } == inThreadId)
            let postedInThread = try await http.send(.POST, "/channels/\(thread)/messages", json: #"{"content":"p"}"#)
            #expect(postedInThread.status == 200)
            let postedInThreadId = try #require(snowflake(postedInThread.object, "id"))
            #expect(snowflake(try await http.get("/channels/\(thread)").object, "last_message_id") == postedInThreadId)
            // An archived public thread of some message channel.
            var archivedEntry: (parent: UInt64, thread: UInt64)?
            for parent in sim.messageChannelIDs(guild: guild) where archivedEntry == nil {
                let list = try await http.get("/channels/\(parent)/threads/archived/public").object["threads"]
                if let first = (list as? [[String: Any]])?.first.flatMap({ snowflake($0, "id") }) {
                    archivedEntry = (parent.rawValue, first)
                }
            }
            let (parent, archivedId) = try #require(archivedEntry)
            let message = try await http.send(
                .POST, "/__sim/mutate", api: false, json: #"{"op":"create","channelId":"\#(archivedId)","content":"a"}"#
            )
            let messageId = try #require(snowflake(message.object, "id"))
            let relisted = try await http.get("/channels/\(parent)/threads/archived/public").object["threads"]
            let relistedEntry = (relisted as? [[String: Any]])?.first { snowflake($0, "id") == archivedId }
            #expect(relistedEntry.flatMap { snowflake($0, "last_message_id") } == messageId)
        }
    }

    @Test func createdAndEditedMessagesCarryTheCurrentTime() async throws {
        try await SimulatorServer.withRunning(makeConfig()) { sim in
            let http = SimHTTP(sim: sim)
            let channel = sim.messageChannelIDs(guild: sim.guildIDs[0])[0]
            let truth = await sim.truthMessageIDs(channel: channel)
            let start = nowMilliseconds()
            let created = try await http.send(
                .POST, "/__sim/mutate", api: false, json: #"{"op":"create","channelId":"\#(channel)","content":"now"}"#)
            let createdId = try #require(snowflake(created.object, "id"))
            let end = nowMilliseconds()
            // The id (and so the timestamp) comes from the current time.
            #expect(snowflakeMilliseconds(createdId) >= start && snowflakeMilliseconds(createdId) <= end + 5)
            let message = try await http.get("/channels/\(channel)/messages/\(createdId)").object
            #expect(timestampMilliseconds(message["timestamp"]) == snowflakeMilliseconds(createdId))
            #expect(message["edited_timestamp"] is NSNull && message["content"] as? String == "now")

            let target = truth[42].rawValue
            let original = try await http.get("/channels/\(channel)/messages/\(target)").object
            #expect(original["edited_timestamp"] is NSNull)
            let editStart = nowMilliseconds()
            let edit = try await http.send(
                .POST, "/__sim/mutate", api: false,
                json: #"{"op":"edit","channelId":"\#(channel)","messageId":"\#(target)","content":"rewritten"}"#)
            #expect(edit.status == 200 && snowflake(edit.object, "id") == target)
            let edited = try await http.get("/channels/\(channel)/messages/\(target)").object
            #expect(edited["content"] as? String == "rewritten")
            #expect(edited["timestamp"] as? String == original["timestamp"] as? String)
            let editedAt = try #require(timestampMilliseconds(edited["edited_timestamp"]))
            #expect(editedAt >= editStart && editedAt <= nowMilliseconds() + 5)
            // The list shows the same edit; editing the new message works too.
            let page = try await http.get("/channels/\(channel)/messages?around=\(target)&limit=3").array
            #expect(page.first { snowflake($0, "id") == target }?["content"] as? String == "rewritten")
            let again = try await http.send(
                .POST, "/__sim/mutate", api: false,
                json: #"{"op":"edit","channelId":"\#(channel)","messageId":"\#(createdId)","content":"later"}"#)
            #expect(again.status == 200)
            let editedNew = try await http.get("/channels/\(channel)/messages/\(createdId)").object
            #expect(editedNew["content"] as? String == "later" && editedNew["edited_timestamp"] is String)
        }
    }
}
