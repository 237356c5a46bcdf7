import Archive
import ArchiveStore
import DiscordModels
import DiscordSimulator
import Foundation
import SQLiteStore
import TestSupport
import Testing

@Suite("Archive against the simulator's ground truth")
struct ArchiveGroundTruthTests {
    /// The reference world: every readable message archived exactly once; hidden channels skipped.
    @Test func archivesExactlyTheGroundTruth() async throws {
        try await ArchiveHarness.withArchive(seed: 7, guilds: 2, channels: 12, messages: 3000, threads: 40) {
            sim, store in
            let summary = try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store)
            #expect(!summary.isPartial)
            try await ArchiveHarness.expectArchiveMatchesTruth(sim, store)

            // Every channel the bot cannot read is reported as skipped, and nothing else is. (Threads the bot
            // cannot see at all are never listed to it, so only their visible part can be reported.)
            let truths = await ArchiveHarness.truthChannels(sim)
            let hidden = Set(truths.filter { !$0.readable && $0.type.holdsMessages }.map(\.id))
            let hiddenChannels = Set(
                truths.filter { !$0.readable && $0.type.holdsMessages && !$0.type.isThread }.map(\.id))
            let skipped = Set(summary.guilds.flatMap(\.skipped).map(\.channelId))
            #expect(!hiddenChannels.isEmpty)
            #expect(hiddenChannels.isSubset(of: skipped))
            #expect(skipped.isSubset(of: hidden))

            // No page was fetched twice.
            #expect(await sim.stats().duplicatePages == 0)
            #expect(summary.guilds.count == 2)
            #expect(summary.guilds.allSatisfy { $0.threads > 0 })
        }
    }

    /// A lone big channel is split into ranges fetched in parallel: still every message exactly once, and no page
    /// asked for twice (the ranges meet without overlap).
    @Test func splitChannelFetchesEveryPageOnce() async throws {
        try await ArchiveHarness.withArchive(seed: 5, guilds: 1, channels: 3, messages: 2400, threads: 0) {
            sim, store in  // one readable channel (the last two are hidden or history-less)
            let summary = try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store)
            #expect(!summary.isPartial)
            let channel = try #require(sim.messageChannelIDs(guild: sim.guildIDs[0]).first)
            #expect(try await store.segments(of: channel).count > 1, "the channel was not split")
            try await ArchiveHarness.expectArchiveMatchesTruth(sim, store)
            #expect(await sim.stats().duplicatePages == 0)
        }
    }

    /// A small channel is never split into more ranges than it has pages: its oldest page goes first and tells
    /// how many more there are (300 messages with no rate limits: 3–4 requests, not one per range of 8).
    @Test func aSmallChannelIsFetchedInAboutAsManyRequestsAsItHasPages() async throws {
        try await ArchiveHarness.withArchive(seed: 5, guilds: 1, channels: 3, messages: 300, threads: 0) {
            sim, store in
            let summary = try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store)
            #expect(!summary.isPartial)
            try await ArchiveHarness.expectArchiveMatchesTruth(sim, store)
            // Few channels, so each may be split (up to 8 ranges); each needs its pages and one short last page.
            var allowance = 0
            for channel in sim.messageChannelIDs(guild: sim.guildIDs[0]) {
                let stored = try await store.messageIDs(in: channel, includeDeleted: false).count
                if stored > 0 { allowance += (stored + 99) / 100 + 1 }
            }
            let requests = await sim.stats().byRoute["GET /channels/{channel.id}/messages"] ?? 0
            #expect(allowance > 0)
            #expect(requests <= allowance, "\(requests) message requests, \(allowance) at most")
            #expect(await sim.stats().duplicatePages == 0)
        }
    }

    /// A channel's tail ends once it holds the last message Discord reported for the channel: a channel of whole
    /// pages costs as many requests as it has pages, not one more to learn that nothing follows (on a
    /// rate-limited channel that one request can cost a whole window of its bucket).
    @Test func aChannelOfWholePagesCostsOneRequestPerPage() async throws {
        try await ArchiveHarness.withArchive(seed: 5, guilds: 1, channels: 3, messages: 300, threads: 0) {
            sim, store in
            var configuration = ArchiveHarness.configuration(for: sim)
            configuration.maxSegmentsPerChannel = 1
            let summary = try await ArchiveHarness.archive(configuration, into: store)
            #expect(!summary.isPartial)
            try await ArchiveHarness.expectArchiveMatchesTruth(sim, store)
            var pages = 0
            for channel in sim.messageChannelIDs(guild: sim.guildIDs[0]) {
                let stored = try await store.messageIDs(in: channel, includeDeleted: false).count
                #expect(stored % 100 == 0, "\(stored) messages: not whole pages")
                pages += (stored + 99) / 100
            }
            let requests = await sim.stats().byRoute["GET /channels/{channel.id}/messages"] ?? 0
            #expect(pages > 0)
            #expect(requests == pages)
        }
    }

    /// Deep channels behind a bucket of 20 per second with 250 ms round trips are split into 20 ranges each, one
    /// per request of a window (each range has one request in flight): the bucket's size and the round trip decide,
    /// not a constant. Every message once, no page twice, no 429.
    @Test func aDeepChannelGetsAsManyRangesAsAWindowTakes() async throws {
        try await Self.archiveDeepChannels(seed: 5, messages: 2500) { sim, store, stats in
            // Each readable channel (two of the three) in 20 ranges; at most one partial page per range.
            var allowance = 0
            for channel in sim.messageChannelIDs(guild: sim.guildIDs[0]) {
                let stored = try await store.messageIDs(in: channel, includeDeleted: false).count
                guard stored > 0 else { continue }
                #expect(try await store.segments(of: channel).count == 20)
                allowance += (stored + 99) / 100 + 20
            }
            let requests = stats.byRoute["GET /channels/{channel.id}/messages"] ?? 0
            #expect(allowance > 0)
            #expect(requests <= allowance, "\(requests) message requests, \(allowance) at most")
        }
    }

    /// A deep channel long enough for the limiter to prove its send timing (20 per second, 250 ms round trips, 6,000
    /// messages in each of two channels, three windows or more each): once the timing is proven, each window goes out
    /// one round trip before the reset the client sees (``ResetTiming``; whether it is proven depends on how steady
    /// the round trips are on this machine, which the virtual-time ResetTimingTests control), and either way every
    /// message arrives once, no page twice, no 429.
    @Test func aDeepChannelWithSendsTimedToTheResetDrawsNo429() async throws {
        try await Self.archiveDeepChannels(seed: 6, messages: 6000) { _, _, _ in }
    }

    /// Archives a guild of three channels (two readable) of `messages` each behind a message bucket of 20 per second
    /// with 250 ms round trips into a fresh SQLite archive, expects it complete and equal to the simulator's truth
    /// with no page fetched twice and no 429 of scope user or global, then hands the simulator, the archive and the
    /// simulator's counts to `check`.
    static func archiveDeepChannels(
        seed: UInt64, messages: Int,
        check: (SimulatorServer, SQLiteArchiveStore, SimulatorStats) async throws -> Void
    ) async throws {
        var config = SimulatorConfiguration.testWorld(
            seed: seed, guilds: 1, channels: 3, messages: messages, threads: 0)
        config.rateLimits = .discord
        config.bucketOverrides["messages"] = .init(limit: 20, window: .seconds(1))
        config.latency = .milliseconds(250)
        try await ArchiveHarness.withSimulator(config) { sim in
            try await ArchiveHarness.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                let summary = try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store)
                #expect(!summary.isPartial)
                try await ArchiveHarness.expectArchiveMatchesTruth(sim, store)
                let stats = await sim.stats()
                #expect(stats.duplicatePages == 0)
                #expect(stats.rateLimited.user == 0 && stats.rateLimited.global == 0)
                try await check(sim, store, stats)
            }
        }
    }

    /// `--reaction-users` stores who reacted, for every reaction of every archived message; `--members` stores
    /// the guild's members.
    @Test func reactionUsersAndMembersAreArchived() async throws {
        try await ArchiveHarness.withArchive(seed: 8, guilds: 1, channels: 3, messages: 120, threads: 0) { sim, store in
            var configuration = ArchiveHarness.configuration(for: sim)
            configuration.reactionUsers = true
            configuration.members = true
            let summary = try await ArchiveHarness.archive(configuration, into: store)
            #expect(!summary.isPartial)
            #expect(try await store.stats().members > 0)
            let channel = try #require(sim.messageChannelIDs(guild: sim.guildIDs[0]).first)
            var checked = 0
            for id in try await store.messageIDs(in: channel, includeDeleted: false) {
                for reaction in try await store.reactions(of: id, in: channel) {
                    let normal = try await store.reactionUserIDs(
                        of: id, in: channel, emojiKey: reaction.emojiKey, burst: false)
                    #expect(
                        !normal.isEmpty || (reaction.normalCount ?? reaction.count) == 0,
                        "no users for \(reaction.emojiKey) on \(id)")
                    checked += 1
                }
            }
            #expect(checked > 0, "the simulated channel has no reactions")
        }
    }

    /// A second `archive --members` after a member left marks that member left (the listing no longer holds it):
    /// the archive's member list equals the guild's again, and the row stays for history. Before, a member who left
    /// stayed listed for ever.
    @Test func aMemberWhoLeftBetweenTwoArchivesIsMarkedLeft() async throws {
        try await ArchiveHarness.withArchive(seed: 9, guilds: 1, channels: 1, messages: 10, threads: 0) { sim, store in
            var configuration = ArchiveHarness.configuration(for: sim)
            configuration.members = true
            let guild = sim.guildIDs[0]
            _ = try await ArchiveHarness.archive(configuration, into: store)
            let leaver = try #require(
                await sim.truthMemberIDs(guild: guild).first { !sim.botUserIDs.contains($0) })
            #expect(try await store.member(leaver, in: guild) != nil)
            try await SimulatorAdmin.postForObject(
                sim, "/__sim/mutate", ["op": "removeMember", "guildId": "\(guild)", "userId": "\(leaver)"])
            let summary = try await ArchiveHarness.archive(configuration, into: store)
            #expect(!summary.isPartial)
            #expect(try await store.member(leaver, in: guild) == nil)
            #expect(try await store.members([leaver], in: guild)[leaver] != nil)
            let listed = try await store.members(in: guild, after: nil, limit: 1000).count
            #expect(listed == (await sim.truthMemberIDs(guild: guild)).count)
            // Back again: the next listing makes it a member again.
            try await SimulatorAdmin.postForObject(
                sim, "/__sim/mutate", ["op": "addMember", "guildId": "\(guild)", "userId": "\(leaver)"])
            _ = try await ArchiveHarness.archive(configuration, into: store)
            #expect(try await store.member(leaver, in: guild) != nil)
        }
    }

    /// A channel of a type Skald has never heard of (Discord adds types; the reference says to tolerate unknown
    /// values) is read when it names a last message, and noted when it names none; neither fails the run. Before,
    /// such a channel was stored but its messages were never asked for, and nothing said so.
    @Test func aChannelOfAnUnknownTypeIsReadWhenItNamesALastMessage() async throws {
        try await ArchiveHarness.withArchive(seed: 14, guilds: 1, channels: 3, messages: 30, threads: 0) {
            sim, store in
            let guild = sim.guildIDs[0]
            func newChannel(_ name: String) async throws -> Snowflake<Channel> {
                let object = try await SimulatorAdmin.postForObject(
                    sim, "/__sim/mutate", ["op": "createChannel", "guildId": "\(guild)", "type": 99, "name": name])
                return try #require((object["id"] as? String).flatMap { Snowflake<Channel>($0) })
            }
            let withMessages = try await newChannel("future-text")
            _ = try await newChannel("future-empty")
            var posted: [Snowflake<Message>] = []
            for index in 0..<3 {
                posted.append(
                    try await ArchiveHarness.mutate(
                        sim, ["op": "create", "channelId": "\(withMessages)", "content": "hello \(index)"]))
            }
            let summary = try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store)
            #expect(!summary.isPartial)
            let archived = try await store.messageIDs(in: withMessages, includeDeleted: false)
            #expect(archived == posted, "\(summary.guilds.map(\.skipped)) \(summary.guilds.map(\.failed))")
            let notes = summary.guilds.flatMap(\.notes)
            #expect(notes.contains { $0.contains("#future-empty") && $0.contains("type 99") }, "notes: \(notes)")
        }
    }

    /// A rerun stores nothing new and sends no message request for channels already up to date.
    @Test func rerunIsCheapAndChangesNothing() async throws {
        try await ArchiveHarness.withArchive(seed: 11, guilds: 1, channels: 5, messages: 450, threads: 6) {
            sim, store in
            _ = try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store)
            let before = try await store.stats()
            let requestsBefore = await sim.stats().byRoute["GET /channels/{channel.id}/messages"] ?? 0
            let second = try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store)
            let requestsAfter = await sim.stats().byRoute["GET /channels/{channel.id}/messages"] ?? 0
            #expect(second.totalMessagesInserted == 0)
            #expect(try await store.stats() == before)
            #expect(requestsAfter == requestsBefore, "an up-to-date channel was fetched again")
        }
    }

    /// Messages added after a run are picked up by the next run's catch-up.
    @Test func catchUpFetchesNewMessages() async throws {
        try await ArchiveHarness.withArchive(seed: 12, guilds: 1, channels: 3, messages: 250, threads: 2) {
            sim, store in
            _ = try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store)
            let channel = try #require(sim.messageChannelIDs(guild: sim.guildIDs[0]).first)
            var added: [Snowflake<Message>] = []
            for index in 0..<3 {
                added.append(
                    try await ArchiveHarness.mutate(
                        sim, ["op": "create", "channelId": "\(channel)", "content": "new \(index) 🦊"]))
            }
            let summary = try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store)
            #expect(summary.totalMessagesInserted == 3)
            for id in added { #expect(try await store.message(id, in: channel) != nil) }
            try await ArchiveHarness.expectArchiveMatchesTruth(sim, store)
        }
    }

    /// `--recheck 30` records a revision per edit and a tombstone per deletion; new messages are added.
    @Test func recheckRecordsEditsAndDeletions() async throws {
        try await ArchiveHarness.withArchive(seed: 13, guilds: 1, channels: 3, messages: 300, threads: 2) {
            sim, store in
            _ = try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store)
            // Messages posted since the last run (inside the 30-day window), archived, then edited and deleted.
            let channel = try #require(sim.messageChannelIDs(guild: sim.guildIDs[0]).first)
            var recent: [Snowflake<Message>] = []
            for index in 0..<4 {
                recent.append(
                    try await ArchiveHarness.mutate(
                        sim, ["op": "create", "channelId": "\(channel)", "content": "post \(index)"]))
            }
            _ = try await ArchiveHarness.archive(ArchiveHarness.configuration(for: sim), into: store)
            #expect(try await store.stats().revisions == 0)

            try await ArchiveHarness.mutate(
                sim, ["op": "edit", "channelId": "\(channel)", "messageId": "\(recent[0])", "content": "edited A"])
            try await ArchiveHarness.mutate(
                sim, ["op": "edit", "channelId": "\(channel)", "messageId": "\(recent[1])", "content": "edited B"])
            try await ArchiveHarness.mutate(
                sim, ["op": "delete", "channelId": "\(channel)", "messageId": "\(recent[2])"])
            try await ArchiveHarness.mutate(
                sim, ["op": "delete", "channelId": "\(channel)", "messageId": "\(recent[3])"])
            let created = try await ArchiveHarness.mutate(
                sim, ["op": "create", "channelId": "\(channel)", "content": "brand new"])

            var configuration = ArchiveHarness.configuration(for: sim)
            configuration.recheckDays = 30
            let summary = try await ArchiveHarness.archive(configuration, into: store)
            #expect(!summary.isPartial)

            #expect(try await store.message(created, in: channel)?.content == "brand new")
            for (id, content) in [(recent[0], "edited A"), (recent[1], "edited B")] {
                #expect(try await store.message(id, in: channel)?.content == content)
                #expect(try await store.revisions(of: id, in: channel).count == 1)
            }
            for id in recent[2...3] {
                let stored = try await store.message(id, in: channel)
                #expect(stored != nil, "a deleted message must stay in the archive")
                #expect(stored?.deletedAt != nil)
            }
            let stats = try await store.stats()
            #expect(stats.deletedMessages == 2)
            #expect(stats.revisions == 2)
            try await ArchiveHarness.expectArchiveMatchesTruth(sim, store)

            // Running the recheck again records nothing more.
            _ = try await ArchiveHarness.archive(configuration, into: store)
            #expect(try await store.stats() == stats)
        }
    }

    /// With 5% of requests failing (5xx, resets, truncated bodies) the archive is still complete.
    @Test func faultsDoNotLoseMessages() async throws {
        try await ArchiveHarness.withArchive(
            seed: 21, guilds: 1, channels: 6, messages: 700, threads: 6, faultRate: 0.05
        ) { sim, store in
            var configuration = ArchiveHarness.configuration(for: sim)
            configuration.concurrency = 8
            let summary = try await ArchiveHarness.archive(configuration, into: store)
            #expect(!summary.isPartial, "failed: \(summary.guilds.flatMap(\.failed))")
            #expect(await sim.stats().faultsTotal > 0)
            try await ArchiveHarness.expectArchiveMatchesTruth(sim, store)
        }
    }

    /// A bad token stops the run after its first round trip (the user and the guild list, asked at once) with an
    /// error naming the problem.
    @Test func badTokenStopsAtOnce() async throws {
        let config = SimulatorConfiguration.testWorld(
            seed: 1, channels: 2, messages: 10, threads: 6, rateLimits: .discord)
        try await ArchiveHarness.withSimulator(config) { sim in
            try await ArchiveHarness.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                await #expect {
                    _ = try await ArchiveHarness.archive(
                        ArchiveHarness.configuration(for: sim, token: "not-a-real-token"), into: store)
                } throws: { error in
                    let message = (error as? ArchiveError)?.message ?? ""
                    return message.contains("rejected the bot token") && !message.contains("not-a-real-token")
                }
                #expect(await sim.stats().requests <= 2)
            }
        }
    }

    /// A guild the token cannot see is a configuration error, not a silent empty archive.
    @Test func unknownGuildIsAnError() async throws {
        let config = SimulatorConfiguration.testWorld(
            seed: 1, channels: 2, messages: 10, threads: 6, rateLimits: .discord)
        try await ArchiveHarness.withSimulator(config) { sim in
            try await ArchiveHarness.withTemporaryDirectory { dir in
                let store = try SQLiteArchiveStore(path: dir + "/archive.sqlite")
                var configuration = ArchiveHarness.configuration(for: sim)
                configuration.accounts[0].guilds = [Snowflake(42)]
                await #expect {
                    _ = try await ArchiveHarness.archive(configuration, into: store)
                } throws: { error in
                    (error as? ArchiveError)?.message.contains("guild 42 is not visible") ?? false
                }
            }
        }
    }
}
