import ArchiveStore
import DiscordModels
import Foundation
import Testing

/// In-process leases expire in the time of the clock they are given: here a virtual one the test moves.
@Suite struct LocalChannelLeasesTests {
    /// A clock that only moves when the test says so (nobody sleeps on it here).
    final class VirtualClock: Clock, @unchecked Sendable {
        // @unchecked Sendable: `current` is read and written only while holding `lock`.
        private let lock = NSLock()
        private var current = ContinuousClock.Instant.now
        var now: ContinuousClock.Instant { lock.withLock { current } }
        var minimumResolution: Duration { .nanoseconds(1) }
        func advance(by duration: Duration) { lock.withLock { current = current.advanced(by: duration) } }
        func sleep(until deadline: ContinuousClock.Instant, tolerance: Duration?) async throws {  // virtual
            Issue.record("nothing sleeps on the virtual clock in these tests")
        }
    }

    @Test func aLeaseExpiresInVirtualTimeAndIsTakenOver() async {
        let clock = VirtualClock()
        let leases = LocalChannelLeases(clock: clock)
        let channel = Snowflake<Channel>(42)
        #expect(await leases.acquireLease(of: channel, worker: "A", ttl: .seconds(30)))
        #expect(await !leases.acquireLease(of: channel, worker: "B", ttl: .seconds(30)))
        clock.advance(by: .seconds(20))
        #expect(await leases.renewLease(of: channel, worker: "A", ttl: .seconds(30)))
        clock.advance(by: .seconds(29))
        #expect(await !leases.acquireLease(of: channel, worker: "B", ttl: .seconds(30)))
        clock.advance(by: .seconds(2))
        #expect(await leases.acquireLease(of: channel, worker: "B", ttl: .seconds(30)))
        #expect(await !leases.renewLease(of: channel, worker: "A", ttl: .seconds(30)))
        await leases.releaseLease(of: channel, worker: "A")
        #expect(await !leases.acquireLease(of: channel, worker: "A", ttl: .seconds(30)))
        await leases.releaseLease(of: channel, worker: "B")
        #expect(await leases.acquireLease(of: channel, worker: "A", ttl: .seconds(30)))
    }
}
