import DiscordREST
import FluxerSimulator
import Foundation
import Mirror
import Synchronization
import TestSupport
import Testing

/// A target failing for a while (5xx, network) does not stop a mirror: it plans again from what the archive recorded
/// and continues after a wait, finding on the target what the failed write made; other failures stop at once.
@Suite("Mirror resumption")
struct MirrorResumptionTests {
    static let serverError = MirrorError(
        message: "stopped",
        underlying: DiscordRESTError.server(
            route: "POST /guilds/{guild_id}/roles", object: nil, status: 502, attempts: 1))

    @Test func waitsDoubleUpToTheCapAndStopAfterTheLimitInARow() {
        var resumption = MirrorResumption()
        var waits: [Duration] = []
        while case .resume(let wait) = resumption.failed(Self.serverError, progressed: false) { waits.append(wait) }
        #expect(waits == [.seconds(5), .seconds(10), .seconds(20), .seconds(40), .seconds(60), .seconds(60)])
        #expect(resumption.failed(Self.serverError, progressed: true) == .resume(after: .seconds(5)))
    }

    @Test func refusalsStopAtOnce() {
        var resumption = MirrorResumption()
        let refused = DiscordRESTError.unauthorized(route: "GET /guilds/{guild_id}", object: nil)
        #expect(resumption.failed(refused, progressed: false) == .stop)
        #expect(resumption.failed(MirrorError(message: "no archive"), progressed: false) == .stop)
        #expect(resumption.failed(CancellationError(), progressed: false) == .stop)
    }

    /// The first role create reaches the target, then its answer is lost as a 502: the run waits on the clock,
    /// plans again, finds the role by its intent and finishes without making anything twice.
    @Test func aServerErrorAfterAWriteResumesAndDuplicatesNothing() async throws {
        try await MirrorTests.withMirror(flavour: .baseline) { store, guild, fluxer, target in
            let rolesBefore = await fluxer.roleNames().count
            let failed = Mutex(false)
            var engine = MirrorEngine(store: store, target: target, logger: MirrorTests.logger)
            engine.afterWrite = { step in
                guard case .role = step,
                    failed.withLock({ done in
                        defer { done = true }
                        return !done
                    })
                else { return }
                throw try #require(Self.serverError.underlying as? DiscordRESTError)
            }
            let clock = TestClock()
            let lines = Mutex<[String]>([])
            let planner = MirrorPlanner(store: store)
            let key = "fluxer:\(fluxer.guildID)"
            let first = try await planner.plan(sourceGuild: guild, target: key)
            let running = Task { [engine] in
                try await engine.run(
                    planning: { try await planner.plan(sourceGuild: guild, target: key) }, clock: clock
                ) {
                    line in lines.withLock { $0.append(line) }
                }
            }
            await clock.waitForSleepers(1)
            clock.advance(by: .seconds(5))
            let result = try await running.value
            #expect(result.recovered == 1, "the role the failed write made was found on the target")
            #expect(result.roles + result.recovered == first.roles.count)
            #expect(result.channels == first.channels.count)
            #expect(await fluxer.roleNames().count == rolesBefore + first.roles.count)
            #expect(try await planner.plan(sourceGuild: guild, target: key).pendingMessages == 0)
            let said = lines.withLock { $0 }
            #expect(said.contains { $0.contains("HTTP 502") && $0.contains("continuing in 5 s (1 of 6 in a row)") })
        }
    }
}
