import ArchiveStore
import DiscordModels
import Foundation
import TestSupport
import Testing

/// In-process leases expire in the time of the clock they are given: here a virtual one the test moves.
@Suite struct LocalChannelLeasesTests {
    @Test func aLeaseExpiresInVirtualTimeAndIsTakenOver() async {
        let clock = TestClock()
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

    /// Ranges of one channel are leased apart from each other and from the channel.
    @Test func rangesOfOneChannelAreLeasedApart() async {
        let clock = TestClock()
        let leases = LocalChannelLeases(clock: clock)
        let channel = Snowflake<Channel>(42)
        #expect(await leases.acquireLease(of: channel, worker: "A", ttl: .seconds(30)))
        #expect(await leases.acquireRangeLease(of: channel, from: Snowflake(0), worker: "B", ttl: .seconds(30)))
        #expect(await leases.acquireRangeLease(of: channel, from: Snowflake(500), worker: "A", ttl: .seconds(30)))
        #expect(await !leases.acquireRangeLease(of: channel, from: Snowflake(0), worker: "A", ttl: .seconds(30)))
        clock.advance(by: .seconds(20))
        #expect(await leases.renewRangeLease(of: channel, from: Snowflake(0), worker: "B", ttl: .seconds(30)))
        clock.advance(by: .seconds(20))
        #expect(await leases.acquireRangeLease(of: channel, from: Snowflake(500), worker: "B", ttl: .seconds(30)))
        #expect(await !leases.renewRangeLease(of: channel, from: Snowflake(500), worker: "A", ttl: .seconds(30)))
        await leases.releaseRangeLease(of: channel, from: Snowflake(0), worker: "B")
        #expect(await leases.acquireRangeLease(of: channel, from: Snowflake(0), worker: "A", ttl: .seconds(30)))
    }
}
