import DiscordREST
import DiscordSimulator
import Foundation
import TestSupport
import Testing

/// Discord's global limit counts every request of a token, whichever client of the process sends it: the clients a
/// factory makes for one token share one limiter (``TokenRateLimiters``), against the simulator with its global limit
/// on, in virtual time (the simulator's and the clients' clocks advanced together).
@Suite(.serialized) struct SharedTokenLimitTests {
    /// Requests per second a token may send, on both sides (the simulator's and the clients' own figure).
    static let globalLimit = 4

    /// A world answering `GET /users/@me` as often as asked but for the global limit, on `time`.
    static func limited(_ time: VirtualTime) -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration.testWorld(seed: 31, channels: 1, messages: 1, rateLimits: .discord)
        configuration.globalLimitPerSecond = globalLimit
        configuration.bucketOverrides = ["user": .init(limit: 1000, window: .seconds(1))]
        configuration.clock = time.clock
        return configuration
    }

    @Test func twoClientsOfOneTokenTogetherStayUnderItsGlobalLimit() async throws {
        let time = VirtualTime()
        let clock = TestClock()
        try await SimulatorServer.withRunning(Self.limited(time)) { sim in
            var clients = DiscordClientFactory(apiBase: sim.apiBase, logger: QuietLogger.make("skald.tests.shared"))
            clients.clock = clock
            clients.configure = { $0.rateLimits.globalLimit = Self.globalLimit }
            // Live capture's client and the bot's reaction client, say: one token, one process.
            let capture = clients.client(token: sim.tokens[0])
            let reactions = clients.client(token: sim.tokens[0])
            #expect(clients.rateLimiters.count == 1)
            let answered = await withTaskGroup(of: Bool.self) { group in
                for client in [capture, reactions] {
                    for _ in 0..<Self.globalLimit { group.addTask { (try? await client.currentUser()) != nil } }
                }
                // A second's worth is answered at once; the rest waits on the clock (for the token's next window,
                // or, were the limit not shared, after the global 429s it drew).
                var answered = 0
                for _ in 0..<Self.globalLimit where await group.next() == true { answered += 1 }
                await clock.waitForSleepers(1)
                let firstSecond = await sim.stats()
                #expect(firstSecond.rateLimited.global == 0)
                #expect(firstSecond.requests == Self.globalLimit)
                guard firstSecond.rateLimited.global == 0 else {
                    // Not shared: the retries are not waited out (their sleeps may begin after any advance).
                    group.cancelAll()
                    return answered
                }
                time.advance(by: .milliseconds(1100))
                clock.advance(by: .milliseconds(1100))
                for await success in group where success { answered += 1 }
                return answered
            }
            #expect(answered == 2 * Self.globalLimit)
            let stats = await sim.stats()
            #expect(stats.rateLimited.global == 0)
            #expect(stats.requests == 2 * Self.globalLimit)
            try await capture.shutdown()
            try await reactions.shutdown()
        }
    }

    @Test func eachTokenAndEachAPIHasALimiterOfItsOwn() async throws {
        let clients = DiscordClientFactory(apiBase: "http://127.0.0.1:1/api/v10")
        var fluxer = clients
        fluxer.apiBase = "http://127.0.0.1:2/api/v1"
        let made = [
            clients.client(token: "a"), clients.client(token: "a"), clients.client(token: "b"),
            fluxer.client(token: "a"),
        ]
        #expect(clients.rateLimiters.count == 3)
        for client in made { try await client.shutdown() }
    }
}
