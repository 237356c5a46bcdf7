import Archive
import DiscordModels
import DiscordSimulator
import SQLiteStore
import TestSupport
import Testing

/// Start-up streams: a guild's channels are fetched as soon as its first round of look-ups is in, while its
/// archived threads are still being listed (a round trip per listing, two listings per parent channel).
@Suite struct StartupOrderTests {
    /// Every readable channel starts before the guild's discovery ends (`guildPlanned` is reported once its archived
    /// threads are listed). Before start-up streamed, no channel started before `guildPlanned`.
    @Test func everyChannelStartsBeforeThreadDiscoveryEnds() async throws {
        var config = SimulatorConfiguration.testWorld(seed: 31, channels: 12, messages: 50, threads: 6)
        // Listing a parent's archived threads takes two round trips (public, then private); starting a channel
        // takes none.
        config.latency = .milliseconds(150)
        try await ArchiveHarness.withSimulator(config) { sim in
            let store = try SQLiteArchiveStore.inMemory()
            let events = ArchiveEvents()
            let summary = try await ArchiveHarness.archive(
                ArchiveHarness.configuration(for: sim), into: store, observer: events)
            events.finish()
            #expect(!summary.isPartial)
            try await ArchiveHarness.expectArchiveMatchesTruth(sim, store)

            var order: [ArchiveEvent] = []
            for await event in events.stream { order.append(event) }
            let planned = try #require(
                order.firstIndex {
                    if case .guildPlanned = $0 { return true }
                    return false
                })
            let threads = Set(sim.guildIDs.flatMap { sim.threadIDs(guild: $0) })
            let startedBefore = Set(
                order[..<planned].compactMap { event -> Snowflake<Channel>? in
                    if case .channelStarted(_, let channel, _) = event { return channel }
                    return nil
                })
            let channels = try #require(summary.guilds.first).channels
            #expect(channels > 0)
            #expect(
                startedBefore.subtracting(threads).count == channels,
                "\(startedBefore.count) channels started before the guild's discovery ended, of \(channels)")
        }
    }

    /// The first message page goes out after two round trips: the user and the guild list at once, then the guild's
    /// look-ups with the bot's member (it needs the user's id; the channels' permissions need its roles), then the
    /// page. Nothing depends on the guild's emojis, stickers or events, and the channel's newest message comes with
    /// the channel list. The simulator numbers each request's round trip from the answers that went out before it
    /// arrived; its latency (far longer than the engine takes between an answer and what it sends next) keeps the
    /// round trips apart.
    @Test func firstMessagePageGoesOutAfterTwoRoundTrips() async throws {
        var config = SimulatorConfiguration.testWorld(seed: 37, channels: 3, messages: 20, rateLimits: .discord)
        config.latency = .milliseconds(400)
        try await ArchiveHarness.withSimulator(config) { sim in
            let summary = try await ArchiveHarness.archive(
                ArchiveHarness.configuration(for: sim), into: try SQLiteArchiveStore.inMemory())
            #expect(!summary.isPartial)
            let trips = await sim.stats().firstRoundTrip
            #expect(trips["GET /users/@me"] == 1)
            #expect(trips["GET /users/@me/guilds"] == 1)
            #expect(trips["GET /guilds/{guild.id}/members/{user.id}"] == 2)
            #expect(trips["GET /guilds/{guild.id}/channels"] == 2)
            #expect(trips["GET /channels/{channel.id}/messages"] == 3, "round trips: \(trips)")
        }
    }
}
