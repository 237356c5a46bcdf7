import DiscordREST
import DiscordSimulator
import Foundation
import Synchronization
import TestSupport
import Testing

/// The client against the simulator with its invalid-request ban switched on (a threshold of three): a one-shot
/// client stops at the first refusal and sends nothing more; a long-running one waits the ban out with a probe or
/// two, in virtual time (the simulator's and the edge gate's clocks advanced together).
@Suite(.serialized) struct EdgeRefusalTests {
    /// A world whose ban begins after three invalid answers and lasts an hour, on `time`.
    static func bannable(_ time: VirtualTime) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration.testWorld(seed: 23, channels: 1, messages: 3)
        configuration.invalidRequestThreshold = 3
        configuration.banDuration = .seconds(3600)
        configuration.clock = time.clock
        return configuration
    }

    /// Three answers with 401 from another program on the address (a wrong token): the ban begins.
    static func earnBan(_ sim: SimulatorServer) async throws {
        #expect(try await TestSupport.SimulatorAdmin.earnBan(sim, invalidAnswers: 3) == [401, 401, 401])
    }

    @Test func aOneShotClientStopsAtTheFirstRefusalAndSendsNothingMore() async throws {
        let time = VirtualTime()
        try await SimulatorServer.withClient(Self.bannable(time)) { sim, client in
            _ = try await client.currentUser()
            try await Self.earnBan(sim)
            let error = await #expect(throws: DiscordRESTError.self) { try await client.currentUser() }
            #expect(error?.code == .edgeBanned && error?.status == 429)
            // The simulator's ban page carries the hour left.
            #expect(error?.retryAfter == .seconds(3600))
            #expect(error?.description.contains("Discord's edge is refusing requests from this IP address") == true)
            // Later calls fail without being sent.
            let guild = sim.guildIDs[0]
            for _ in 0..<5 {
                await #expect(throws: DiscordRESTError.self) { try await client.guild(guild) }
            }
            let stats = await sim.stats()
            #expect(stats.bannedResponses == 1)
            // Nothing learned from the refusal: no route is remembered as forbidden, no invalid response counted.
            #expect(await client.invalidRequestCount() == 0)
        }
    }

    @Test func aLongRunningClientWaitsTheBanOutWithAProbeThenGoesOn() async throws {
        let time = VirtualTime()
        let clock = TestClock()
        let changes = Mutex<[EdgeRefusalStateMachine.Change]>([])
        let gate = EdgeRefusalGate(policy: .waitOut(.init()), clock: clock) { change in
            changes.withLock { $0.append(change) }
        }
        let sharingTheGate: (inout DiscordClientConfiguration) -> Void = { $0.edgeRefusals = gate }
        try await SimulatorServer.withClient(Self.bannable(time), configure: sharingTheGate) { sim, client in
            _ = try await client.currentUser()
            try await Self.earnBan(sim)
            // Three calls at once while banned: each is refused (or finds the ban begun), all wait.
            let guild = sim.guildIDs[0]
            let calls = Task {
                async let me = client.currentUser()
                async let first = client.guild(guild)
                async let second = client.guild(guild)
                return try await (me.value.id, first.value.id, second.value.id)
            }
            await clock.waitForSleepers(3)
            #expect(gate.ban?.retryAfter == .seconds(3600))
            // A scheduled job's client, on the same record, fails at once without sending.
            let refusedAtStart = await sim.stats().bannedResponses
            var jobs = client.configuration
            jobs.edgeRefusals = gate.failingFast()
            let job = DiscordClient(configuration: jobs, logger: QuietLogger.make("skald.tests.jobs"))
            let refusal = await #expect(throws: DiscordRESTError.self) { try await job.guild(guild) }
            try await job.shutdown()
            #expect(refusal?.code == .edgeBanned)
            #expect(await sim.stats().bannedResponses == refusedAtStart)
            // The first probe is due when the Retry-After ends (the simulator sends the ban's hour left): nothing
            // goes before.
            clock.advance(by: .seconds(3000))
            #expect(await sim.stats().bannedResponses <= 3)
            let refusedBefore = await sim.stats().bannedResponses
            time.advance(by: .seconds(3601))
            clock.advance(by: .seconds(601))
            let (me, first, second) = try await calls.value
            #expect(first == guild && second == guild && me == sim.botUserIDs[0])
            // Refused: the calls in flight when the ban began (at most three); then one probe, which got through.
            let stats = await sim.stats()
            #expect(stats.bannedResponses == refusedBefore)
            #expect(stats.banned == false)
            let seen = changes.withLock { $0 }
            #expect(seen.count == 2)
            if case .ended(_, _, let probes) = seen.last { #expect(probes == 1) } else { Issue.record("\(seen)") }
            #expect(gate.ban == nil)
        }
    }
}
