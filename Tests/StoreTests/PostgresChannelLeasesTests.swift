import ArchiveStore
import DiscordModels
import Foundation
import PostgresStore
import TestSupport
import Testing

/// Leases in the database expire against the time the store is given (``PostgresArchiveStore/Configuration/leaseNow``),
/// here a virtual date the test moves, so expiry is checked without waiting for it; two stores on one schema play
/// two worker processes.
@Suite(.serialized, .enabled(if: TestPostgres.isWanted)) struct PostgresChannelLeasesTests {
    /// A date that moves only when the test says so.
    final class VirtualDate: @unchecked Sendable {
        // @unchecked Sendable: `current` is read and written only while holding `lock`.
        private let lock = NSLock()
        private var current = Date(timeIntervalSince1970: 1_800_000_000)
        var now: Date { lock.withLock { current } }
        func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }
    }

    @Test func aLeaseExpiresInVirtualTimeAndIsTakenOver() async throws {
        let time = VirtualDate()
        var configuration = try TestPostgres.configuration()
        configuration.leaseNow = { time.now }
        let a = try await PostgresArchiveStore.connect(configuration)
        let b = try await PostgresArchiveStore.connect(configuration)
        let channel = Snowflake<Channel>(42)
        do {
            #expect(try await a.acquireLease(of: channel, worker: "A", ttl: .seconds(30)))
            #expect(try await !b.acquireLease(of: channel, worker: "B", ttl: .seconds(30)))
            time.advance(by: 20)
            #expect(try await a.renewLease(of: channel, worker: "A", ttl: .seconds(30)))
            time.advance(by: 29)
            #expect(try await !b.acquireLease(of: channel, worker: "B", ttl: .seconds(30)))
            time.advance(by: 2)
            #expect(try await b.acquireLease(of: channel, worker: "B", ttl: .seconds(30)))
            #expect(try await !a.renewLease(of: channel, worker: "A", ttl: .seconds(30)))
            try await a.releaseLease(of: channel, worker: "A")
            #expect(try await !a.acquireLease(of: channel, worker: "A", ttl: .seconds(30)))
            try await b.releaseLease(of: channel, worker: "B")
            #expect(try await a.acquireLease(of: channel, worker: "A", ttl: .seconds(30)))
            // Ranges of the channel: apart from each other and from the channel's own lease.
            let low = Snowflake<Message>(1 << 40)
            #expect(try await b.acquireRangeLease(of: channel, from: low, worker: "B", ttl: .seconds(30)))
            #expect(try await a.acquireRangeLease(of: channel, from: Snowflake(0), worker: "A", ttl: .seconds(30)))
            #expect(try await !a.acquireRangeLease(of: channel, from: low, worker: "A", ttl: .seconds(30)))
            time.advance(by: 20)
            #expect(try await b.renewRangeLease(of: channel, from: low, worker: "B", ttl: .seconds(30)))
            time.advance(by: 20)
            #expect(try await b.acquireRangeLease(of: channel, from: Snowflake(0), worker: "B", ttl: .seconds(30)))
            #expect(try await !a.renewRangeLease(of: channel, from: Snowflake(0), worker: "A", ttl: .seconds(30)))
            try await b.releaseRangeLease(of: channel, from: low, worker: "B")
            #expect(try await a.acquireRangeLease(of: channel, from: low, worker: "A", ttl: .seconds(30)))
        } catch {
            await b.shutdown()
            try? await a.dropSchema()
            await a.shutdown()
            throw error
        }
        await b.shutdown()
        try? await a.dropSchema()
        await a.shutdown()
    }
}
