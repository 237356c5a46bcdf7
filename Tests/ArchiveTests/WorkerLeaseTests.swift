import Archive
import ArchiveStore
import DiscordSimulator
import Foundation
import PostgresStore
import SQLiteStore
import TestSupport
import Testing

/// Several `skald archive --worker` engines, each with its own token, on one PostgreSQL archive.
@Suite(.serialized, .enabled(if: TestPostgres.isWanted)) struct WorkerLeaseTests {
    static let messagesRoute = "GET /channels/{channel.id}/messages"

    static func simulator(latency: Duration = .milliseconds(0)) -> SimulatorConfiguration {
        var config = SimulatorConfiguration()
        config.seed = 21
        config.guilds = 1
        config.channelsPerGuild = 24
        config.messagesPerChannel = 300
        config.threadsPerGuild = 0
        config.latency = latency
        config.tokens = ["worker-a-token", "worker-b-token"]
        return config
    }

    static func workerConfiguration(_ sim: SimulatorServer, token: Int, name: String, ttl: Duration)
        -> ArchiveConfiguration
    {
        var configuration = ArchiveHarness.configuration(for: sim, token: sim.tokens[token])
        configuration.worker = name
        configuration.leaseTTL = ttl
        configuration.concurrency = 8
        return configuration
    }

    /// Runs worker A (token 0) until its first page is stored, then stops it as a kill would (nothing released);
    /// returns how many messages it had stored.
    static func workerStoppedAfterItsFirstPage(
        _ sim: SimulatorServer, _ store: PostgresArchiveStore, ttl: Duration, clock: TestClock
    ) async throws -> Int {
        let events = ArchiveEvents()
        let a = Task {
            defer { events.finish() }
            return try await ArchiveHarness.archive(
                workerConfiguration(sim, token: 0, name: "A", ttl: ttl), into: store, observer: events, clock: clock)
        }
        #expect(await events.firstPageStored())
        a.cancel()
        _ = await a.result
        return try await store.stats().messages
    }

    /// Message pages requested more than once.
    static func repeatedMessagePages(_ sim: SimulatorServer) async -> Set<String> {
        Set(await sim.stats().pages.filter { $0.key.hasPrefix(messagesRoute) && $0.value > 1 }.map(\.key))
    }

    /// Two workers' stores on one new schema (``TestPostgres``): `body` runs with both; then the schema is dropped
    /// and both shut down, whether `body` threw or not.
    static func withTwoWorkerStores(
        _ configuration: PostgresArchiveStore.Configuration,
        _ body: (PostgresArchiveStore, PostgresArchiveStore) async throws -> Void
    ) async throws {
        let storeA = try await PostgresArchiveStore.connect(configuration)
        let storeB = try await PostgresArchiveStore.connect(configuration)
        var failure: (any Error)?
        do { try await body(storeA, storeB) } catch { failure = error }
        try? await storeA.dropSchema()
        await storeA.shutdown()
        await storeB.shutdown()
        if let failure { throw failure }
    }

    /// The most one worker may fetch alone at a channel's end while the other idles: its 8 ranges (the concurrency of
    /// ``workerConfiguration(_:token:name:ttl:)``), each with a rest too short to split (under
    /// `SegmentPlanner.minimumSplitPages`, 4 pages, as the idle worker estimates it), and the page each ends on.
    static let unsplittableRest = 8 * (4 + 1)

    /// One guild of one deep channel of `messages` messages, no limits, two tokens (one per worker).
    static func deepChannel(seed: UInt64, messages: Int, latency: Duration) -> SimulatorConfiguration {
        var config = SimulatorConfiguration.testWorld(seed: seed, channels: 1, messages: messages)
        config.latency = latency
        config.tokens = ["worker-a-token", "worker-b-token"]
        return config
    }

    /// ``withTwoWorkerStores(_:_:)`` on the test's PostgreSQL with lease expiry measured on `clock`.
    static func withTwoWorkerStores(
        leasesOn clock: TestClock, _ body: (PostgresArchiveStore, PostgresArchiveStore) async throws -> Void
    ) async throws {
        var configuration = try TestPostgres.configuration(poolSize: 6)
        configuration.leaseNow = { clock.date }
        try await withTwoWorkerStores(configuration, body)
    }

    /// Message requests by worker A's token and by worker B's.
    static func messageRequestsByToken(_ stats: SimulatorStats) -> (Int, Int) {
        (stats.byToken[0]?[messagesRoute] ?? 0, stats.byToken[1]?[messagesRoute] ?? 0)
    }

    /// Worker A (token 0) archives with `sim`; worker B (token 1) starts once `startBWhen` says A got far enough
    /// (an event, not a timer; the test fails if A ended first) and runs to its end; returns both summaries.
    static func archiveAThenB(
        _ sim: SimulatorServer, _ storeA: PostgresArchiveStore, _ storeB: PostgresArchiveStore,
        startBWhen: (ArchiveEvents) async -> Bool
    ) async throws -> (ArchiveSummary, ArchiveSummary) {
        let events = ArchiveEvents()
        let a = Task {
            defer { events.finish() }
            return try await ArchiveHarness.archive(
                workerConfiguration(sim, token: 0, name: "A", ttl: .seconds(30)), into: storeA, observer: events)
        }
        #expect(await startBWhen(events))
        let summaryB = try await ArchiveHarness.archive(
            workerConfiguration(sim, token: 1, name: "B", ttl: .seconds(30)), into: storeB)
        return (try await a.value, summaryB)
    }

    /// The archive in `store` is the simulator's truth, `count` messages, and no message page was fetched twice.
    static func expectEveryMessageOnce(_ sim: SimulatorServer, _ store: PostgresArchiveStore, count: Int) async throws {
        try await ArchiveHarness.expectArchiveMatchesTruth(sim, store)
        #expect(try await store.stats().messages == count)
        #expect(await repeatedMessagePages(sim).isEmpty)
    }

    /// How many ranges the archive's channels ended in.
    static func rangeCount(_ sim: SimulatorServer, _ store: some MessageStore) async throws -> Int {
        var ranges = 0
        for channel in sim.guildIDs.flatMap({ sim.channelIDs(guild: $0) }) {
            ranges += try await store.segments(of: channel).count
        }
        return ranges
    }

    /// Two workers archive the whole guild, fetch no message page twice that one worker alone does not, and make no
    /// more message requests than one worker alone, but for what sharing a channel's range costs: one request per
    /// split (the holder's last page runs past the split; splits counted by the store, as ranges beyond one worker's)
    /// and one per split that was tried and given up (its first page, fetched to learn the channel's density, found
    /// the holder past it: a request whose cursor is neither a message nor a range's start). How often a worker that
    /// runs out of channels splits another's range depends on the machine's speed (68 requests against 66 at load
    /// 25); what each split may cost does not. Lease expiry runs on a frozen virtual date, so no lease expires
    /// however slow the machine (and nothing in the test waits for a lease's real time).
    @Test func twoWorkersArchiveEverythingOnce() async throws {
        // One worker alone, for the request count to compare with.
        let (aloneRequests, aloneRepeated, aloneRanges) = try await ArchiveHarness.withSimulator(Self.simulator()) {
            sim in
            var alone = ArchiveHarness.configuration(for: sim)
            alone.concurrency = 8
            let store = try SQLiteArchiveStore.inMemory()
            _ = try await ArchiveHarness.archive(alone, into: store)
            return (
                await sim.stats().byRoute[Self.messagesRoute] ?? 0, await Self.repeatedMessagePages(sim),
                try await Self.rangeCount(sim, store)
            )
        }
        try await ArchiveHarness.withSimulator(Self.simulator()) { sim in
            let clock = TestClock()
            try await Self.withTwoWorkerStores(leasesOn: clock) { storeA, storeB in
                async let a = ArchiveHarness.archive(
                    Self.workerConfiguration(sim, token: 0, name: "A", ttl: .seconds(30)), into: storeA)
                async let b = ArchiveHarness.archive(
                    Self.workerConfiguration(sim, token: 1, name: "B", ttl: .seconds(30)), into: storeB)
                let (summaryA, summaryB) = try await (a, b)
                #expect(!summaryA.isPartial)
                #expect(!summaryB.isPartial)
                try await ArchiveHarness.expectArchiveMatchesTruth(sim, storeA)
                let stats = await sim.stats()
                #expect(await Self.repeatedMessagePages(sim).isSubset(of: aloneRepeated))
                let ranges = try await Self.rangeCount(sim, storeA)
                let splits = max(0, ranges - aloneRanges)
                let givenUp = try await Self.splitsGivenUp(sim, storeA)
                let requests = stats.byRoute[Self.messagesRoute] ?? 0
                #expect(
                    requests <= aloneRequests + splits + givenUp,
                    "\(requests) message requests; alone \(aloneRequests), \(splits) splits, \(givenUp) given up")
                #expect(
                    summaryA.totalMessagesInserted + summaryB.totalMessagesInserted
                        == (try await storeA.stats()).messages)
            }
        }
    }

    /// Message requests whose cursor is neither a message nor the start of a stored range: the first page of a split
    /// that was tried and given up (the split's range was not stored).
    static func splitsGivenUp(_ sim: SimulatorServer, _ store: PostgresArchiveStore) async throws -> Int {
        var starts: Set<UInt64> = [0]
        var messages: Set<UInt64> = []
        for channel in sim.guildIDs.flatMap({ sim.channelIDs(guild: $0) }) {
            for segment in try await store.segments(of: channel) where segment.low.rawValue > 0 {
                starts.insert(segment.low.rawValue - 1)
            }
            messages.formUnion(await sim.truthMessageIDs(channel: channel).map(\.rawValue))
        }
        var givenUp = 0
        for (key, count) in await sim.stats().pages where key.hasPrefix(messagesRoute + "|") {
            guard let after = key.split(separator: "|").last?.split(separator: "=").last.flatMap({ UInt64($0) })
            else { continue }
            if !starts.contains(after) && !messages.contains(after) { givenUp += count }
        }
        return givenUp
    }

    /// Two workers with two tokens share the ranges of one deep channel: the archive is complete, no message page
    /// is fetched twice, and both tokens fetch a fair part of the channel (the simulator counts requests per token).
    /// Lease expiry runs on a frozen virtual date (no lease can expire however slow the machine); B starts once A
    /// has planned the channel and stored its first page (an event, not a timer).
    @Test func twoWorkersShareTheRangesOfOneDeepChannel() async throws {
        let simulator = Self.deepChannel(seed: 23, messages: 20_000, latency: .milliseconds(20))
        try await ArchiveHarness.withSimulator(simulator) { sim in
            let clock = TestClock()
            try await Self.withTwoWorkerStores(leasesOn: clock) { storeA, storeB in
                let (summaryA, summaryB) = try await Self.archiveAThenB(
                    sim, storeA, storeB, startBWhen: { await $0.firstPageStored() })
                #expect(!summaryA.isPartial)
                #expect(!summaryB.isPartial)
                try await Self.expectEveryMessageOnce(sim, storeA, count: 20_000)
                let stats = await sim.stats()
                let (byA, byB) = Self.messageRequestsByToken(stats)
                #expect(byA + byB == stats.byRoute[Self.messagesRoute] ?? 0)
                // 200 pages, 16 ranges of which each worker fetches at most 8 at once: both take a fair share.
                #expect(byA >= 50, "worker A fetched \(byA) of \(byA + byB) message pages")
                #expect(byB >= 50, "worker B fetched \(byB) of \(byA + byB) message pages")
                #expect(byA + byB <= 200 + 16 + 2)
                #expect(
                    summaryA.totalMessagesInserted + summaryB.totalMessagesInserted
                        == (try await storeA.stats()).messages)
            }
        }
    }

    /// Two workers started together on one deep channel keep both tokens busy to the end: a worker with a free slot
    /// and no free range splits the longest rest of a range in progress and takes its newer part, so a worker idles
    /// only when no range in progress has a rest worth splitting (`SegmentPlanner.minimumSplitPages`, 4 pages, in
    /// each of the other's 8 ranges at most): message requests by the two tokens differ by no more than that. How
    /// evenly the two progress before that depends on the machine (within 10% on an idle one; more once at load 25);
    /// what the split rule may leave to one worker at the end does not. The archive is complete and no message page
    /// is fetched twice.
    @Test func twoWorkersStartedTogetherShareTheChannelToTheEnd() async throws {
        let simulator = Self.deepChannel(seed: 41, messages: 20_000, latency: .milliseconds(20))
        try await ArchiveHarness.withSimulator(simulator) { sim in
            let clock = TestClock()
            try await Self.withTwoWorkerStores(leasesOn: clock) { storeA, storeB in
                async let a = ArchiveHarness.archive(
                    Self.workerConfiguration(sim, token: 0, name: "A", ttl: .seconds(30)), into: storeA)
                async let b = ArchiveHarness.archive(
                    Self.workerConfiguration(sim, token: 1, name: "B", ttl: .seconds(30)), into: storeB)
                let (summaryA, summaryB) = try await (a, b)
                #expect(!summaryA.isPartial)
                #expect(!summaryB.isPartial)
                try await Self.expectEveryMessageOnce(sim, storeA, count: 20_000)
                let stats = await sim.stats()
                let (byA, byB) = Self.messageRequestsByToken(stats)
                let ranges = try await Self.rangeCount(sim, storeA)
                #expect(
                    abs(byA - byB) <= Self.unsplittableRest,
                    "message requests by token: \(byA) + \(byB); \(ranges) ranges in the end")
                // 200 pages; a range's last page runs past its end (16 planned ranges, and about half a page per
                // split), plus the tail's.
                #expect(byA + byB <= 200 + ranges + 2, "\(byA + byB) message requests, \(ranges) ranges")
            }
        }
    }

    /// Workers plan a rate-limited deep channel the way the single process does (one rule,
    /// `SegmentPlanner.newChannelRanges`), for both tokens: each token's bucket (20 per 1 s at 250 ms) takes 20
    /// ranges, one request each per window, so the channel is planned for 40, here 32 (80 pages: ranges of 2.5
    /// pages cost 3 requests each, of 2 pages 3 too), and each worker fetches 16 at once (it was 8 each, which sent
    /// two or three per range and window and left windows unfilled on a slow machine). Complete, no page twice, no
    /// 429, both tokens fetch a fair part.
    @Test func workersPlanARateLimitedChannelForBothTokensBuckets() async throws {
        var simulator = Self.deepChannel(seed: 47, messages: 8_000, latency: .milliseconds(250))
        simulator.rateLimits = .discord
        simulator.bucketOverrides["messages"] = .init(limit: 20, window: .seconds(1))
        try await ArchiveHarness.withSimulator(simulator) { sim in
            let clock = TestClock()
            try await Self.withTwoWorkerStores(leasesOn: clock) { storeA, storeB in
                var configurationA = Self.workerConfiguration(sim, token: 0, name: "A", ttl: .seconds(30))
                var configurationB = Self.workerConfiguration(sim, token: 1, name: "B", ttl: .seconds(30))
                configurationA.concurrency = 48
                configurationB.concurrency = 48
                async let a = ArchiveHarness.archive(configurationA, into: storeA)
                async let b = ArchiveHarness.archive(configurationB, into: storeB)
                let (summaryA, summaryB) = try await (a, b)
                #expect(!summaryA.isPartial)
                #expect(!summaryB.isPartial)
                try await Self.expectEveryMessageOnce(sim, storeA, count: 8_000)
                let ranges = try await Self.rangeCount(sim, storeA)
                // 32 bounded ranges and the tail; a split would add some.
                #expect(ranges >= 33, "\(ranges) ranges")
                let stats = await sim.stats()
                #expect(stats.rateLimited.user == 0 && stats.rateLimited.global == 0)
                let (byA, byB) = Self.messageRequestsByToken(stats)
                #expect(byA * 4 >= byA + byB && byB * 4 >= byA + byB, "message requests by token: \(byA) + \(byB)")
                // 80 pages; a range's last page may run past its end, plus the tail's.
                #expect(byA + byB <= 80 + ranges + 2, "\(byA + byB) message requests, \(ranges) ranges")
            }
        }
    }

    /// A worker that comes when another holds every range of a deep channel still takes part: it splits the longest
    /// rest of a range in progress (its first page tells how dense the channel is, so the holder stays clear of the
    /// split) and takes the newer part, again while the holder's ranges are long enough to share. B starts once A
    /// has stored 12,000 of the 20,000 messages (an event, not a timer): A then holds the last 8 of the 16 ranges,
    /// about 10 pages from the end of each.
    @Test func aLateWorkerSplitsTheRangesInProgress() async throws {
        let simulator = Self.deepChannel(seed: 43, messages: 20_000, latency: .milliseconds(150))
        try await ArchiveHarness.withSimulator(simulator) { sim in
            let clock = TestClock()
            try await Self.withTwoWorkerStores(leasesOn: clock) { storeA, storeB in
                let (summaryA, summaryB) = try await Self.archiveAThenB(
                    sim, storeA, storeB, startBWhen: { await $0.messagesStored(atLeast: 12_000) })
                #expect(!summaryA.isPartial)
                #expect(!summaryB.isPartial)
                try await Self.expectEveryMessageOnce(sim, storeA, count: 20_000)
                let stats = await sim.stats()
                let (byA, byB) = Self.messageRequestsByToken(stats)
                let ranges = try await Self.rangeCount(sim, storeA)
                #expect(ranges > 17, "\(ranges) ranges: none split")
                #expect(byB >= 10, "B fetched \(byB) of \(byA + byB) message pages")
                #expect(byA + byB <= 200 + ranges + 2, "\(byA + byB) message requests, \(ranges) ranges")
            }
        }
    }

    /// A worker stopped in the middle of a deep channel's ranges: its range leases expire (in virtual time) and
    /// the other worker fetches what is left of each range from where it stopped, repeating nothing but the pages
    /// that were in flight.
    @Test func aKilledWorkersRangesAreResumedByTheOther() async throws {
        let simulator = Self.deepChannel(seed: 29, messages: 5_000, latency: .milliseconds(20))
        try await ArchiveHarness.withSimulator(simulator) { sim in
            let clock = TestClock()
            try await Self.withTwoWorkerStores(leasesOn: clock) { storeA, storeB in
                let ttl = Duration.seconds(30)
                let partial = try await Self.workerStoppedAfterItsFirstPage(sim, storeA, ttl: ttl, clock: clock)
                #expect(partial > 0)
                #expect(partial < 5_000)
                clock.advance(by: ttl + .seconds(1))
                let summaryB = try await ArchiveHarness.archive(
                    Self.workerConfiguration(sim, token: 1, name: "B", ttl: ttl), into: storeB, clock: clock)
                #expect(!summaryB.isPartial)
                try await ArchiveHarness.expectArchiveMatchesTruth(sim, storeB)
                // At most the pages A had in flight (one per range it held) are fetched again.
                #expect(await Self.repeatedMessagePages(sim).count <= 8)
            }
        }
    }

    /// A worker stopped mid-run leaves leases that expire; the other worker takes its channels over and the
    /// archive ends complete. The leases expire in virtual time: both stores measure expiry on the test's clock and
    /// both engines wait on it, so nothing waits for a lease's real time.
    @Test func killedWorkersChannelsAreTakenOver() async throws {
        try await ArchiveHarness.withSimulator(Self.simulator(latency: .milliseconds(60))) { sim in
            let clock = TestClock()
            try await Self.withTwoWorkerStores(leasesOn: clock) { storeA, storeB in
                let ttl = Duration.seconds(30)
                // A was mid-run: it had stored part of the guild under its (now orphaned) leases.
                let partial = try await Self.workerStoppedAfterItsFirstPage(sim, storeA, ttl: ttl, clock: clock)
                #expect(partial > 0)
                #expect(partial < 22 * 300)
                // B, started before A's leases expire, would wait for them; it starts once they have (in virtual
                // time), and takes every channel at once.
                clock.advance(by: ttl + .seconds(1))
                let summaryB = try await ArchiveHarness.archive(
                    Self.workerConfiguration(sim, token: 1, name: "B", ttl: ttl), into: storeB, clock: clock)
                #expect(!summaryB.isPartial)
                try await ArchiveHarness.expectArchiveMatchesTruth(sim, storeB)
            }
        }
    }
}
