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
        var config = SimulatorConfiguration()
        config.seed = 31
        config.guilds = 1
        config.channelsPerGuild = 12
        config.messagesPerChannel = 50
        config.threadsPerGuild = 6
        config.rateLimits = .off
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
}
