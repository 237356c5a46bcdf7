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

    /// Message pages requested more than once.
    static func repeatedMessagePages(_ sim: SimulatorServer) async -> Set<String> {
        Set(await sim.stats().pages.filter { $0.key.hasPrefix(messagesRoute) && $0.value > 1 }.map(\.key))
    }

    /// Two workers archive the whole guild, and fetch no message page that one worker alone would not fetch, and
    /// none twice more than it would.
    @Test func twoWorkersArchiveEverythingOnce() async throws {
        // One worker alone, for the request count to compare with.
        let (aloneRequests, aloneRepeated) = try await ArchiveHarness.withSimulator(Self.simulator()) { sim in
            var alone = ArchiveHarness.configuration(for: sim)
            alone.concurrency = 8
            _ = try await ArchiveHarness.archive(alone, into: try SQLiteArchiveStore.inMemory())
            return (await sim.stats().byRoute[Self.messagesRoute] ?? 0, await Self.repeatedMessagePages(sim))
        }
        try await ArchiveHarness.withSimulator(Self.simulator()) { sim in
            let configuration = try TestPostgres.configuration(poolSize: 6)
            let storeA = try await PostgresArchiveStore.connect(configuration)
            let storeB = try await PostgresArchiveStore.connect(configuration)
            do {
                async let a = ArchiveHarness.archive(
                    Self.workerConfiguration(sim, token: 0, name: "A", ttl: .seconds(10)), into: storeA)
                async let b = ArchiveHarness.archive(
                    Self.workerConfiguration(sim, token: 1, name: "B", ttl: .seconds(10)), into: storeB)
                let (summaryA, summaryB) = try await (a, b)
                #expect(!summaryA.isPartial)
                #expect(!summaryB.isPartial)
                try await ArchiveHarness.expectArchiveMatchesTruth(sim, storeA)
                let stats = await sim.stats()
                // No page fetched by both workers: no more message requests than one worker alone makes, and no
                // page repeated that one worker alone does not repeat.
                #expect((stats.byRoute[Self.messagesRoute] ?? 0) <= aloneRequests)
                #expect(await Self.repeatedMessagePages(sim).isSubset(of: aloneRepeated))
                #expect(
                    summaryA.totalMessagesInserted + summaryB.totalMessagesInserted
                        == (try await storeA.stats()).messages)
            } catch {
                try? await storeA.dropSchema()
                await storeA.shutdown()
                await storeB.shutdown()
                throw error
            }
            try? await storeA.dropSchema()
            await storeA.shutdown()
            await storeB.shutdown()
        }
    }

    /// A worker stopped mid-run leaves leases that expire; the other worker takes its channels over and the
    /// archive ends complete. The leases expire in virtual time: both stores measure expiry on the test's clock and
    /// both engines wait on it, so nothing waits for a lease's real time.
    @Test func killedWorkersChannelsAreTakenOver() async throws {
        try await ArchiveHarness.withSimulator(Self.simulator(latency: .milliseconds(60))) { sim in
            let clock = TestClock()
            var configuration = try TestPostgres.configuration(poolSize: 6)
            configuration.leaseNow = { clock.date }
            let storeA = try await PostgresArchiveStore.connect(configuration)
            let storeB = try await PostgresArchiveStore.connect(configuration)
            do {
                let ttl = Duration.seconds(30)
                let events = ArchiveEvents()
                let a = Task {
                    defer { events.finish() }
                    return try await ArchiveHarness.archive(
                        Self.workerConfiguration(sim, token: 0, name: "A", ttl: ttl), into: storeA, observer: events,
                        clock: clock)
                }
                // Let A take leases and store its first page, then stop it as a kill would: nothing released.
                #expect(await events.firstPageStored())
                a.cancel()
                _ = await a.result
                // A was mid-run: it had stored part of the guild under its (now orphaned) leases.
                let partial = try await storeA.stats().messages
                #expect(partial > 0)
                #expect(partial < 22 * 300)
                // B, started before A's leases expire, would wait for them; it starts once they have (in virtual
                // time), and takes every channel at once.
                clock.advance(by: ttl + .seconds(1))
                let summaryB = try await ArchiveHarness.archive(
                    Self.workerConfiguration(sim, token: 1, name: "B", ttl: ttl), into: storeB, clock: clock)
                #expect(!summaryB.isPartial)
                try await ArchiveHarness.expectArchiveMatchesTruth(sim, storeB)
            } catch {
                try? await storeA.dropSchema()
                await storeA.shutdown()
                await storeB.shutdown()
                throw error
            }
            try? await storeA.dropSchema()
            await storeA.shutdown()
            await storeB.shutdown()
        }
    }
}
