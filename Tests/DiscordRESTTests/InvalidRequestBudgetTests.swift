import TestSupport
import Testing

@testable import DiscordREST

/// The invalid-request budget as a limit of its own, in virtual time.
@Suite struct InvalidRequestBudgetTests {
    let user = RouteKey(method: "GET", template: "/users/@me", major: "")

    func permit(_ action: RateLimitStateMachine.AcquireAction) throws -> RateLimitStateMachine.Permit {
        guard case .send(let permit) = action else {
            Issue.record("expected .send, got \(action)")
            throw CancellationError()
        }
        return permit
    }

    @Test func aboveOnePercentInvalidEveryRateIsHalved() throws {
        var configuration = RateLimitStateMachine.Configuration()
        configuration.globalLimit = 50
        configuration.globalWindow = .seconds(1)
        configuration.invalidSlowdownMinimumRequests = 100
        var machine = RateLimitStateMachine(configuration: configuration)
        // 200 good requests over 4 seconds on an unlimited route.
        let first = try permit(machine.acquire(user, now: .zero))
        _ = machine.complete(first, response: .init(status: 200), now: .zero)
        for index in 1..<200 {
            let sent = try permit(machine.acquire(user, now: .milliseconds(20 * index)))
            _ = machine.complete(sent, response: .init(status: 200), now: .milliseconds(20 * index))
        }
        let before = machine.isSlowed(now: .seconds(10))
        #expect(!before)
        // Three 403s on other routes: 3 of 203 is above 1%.
        for index in 0..<3 {
            let route = RouteKey(method: "GET", template: "/channels/{channel_id}", major: "channel:\(index)")
            let sent = try permit(machine.acquire(route, now: .seconds(10)))
            _ = machine.complete(sent, response: .init(status: 403, discordCode: 50001), now: .seconds(10))
        }
        let slowed = machine.isSlowed(now: .seconds(20))
        #expect(slowed)
        // At half rate: 25 per second instead of 50. Each is answered at once: a global slot held by a request in
        // flight would make the 26th wait for an answer rather than for the halved window.
        for _ in 0..<25 {
            let sent = try permit(machine.acquire(user, now: .seconds(20)))
            _ = machine.complete(sent, response: .init(status: 200), now: .seconds(20))
        }
        let held = machine.acquire(user, now: .seconds(20))
        #expect(held == .wait(until: .seconds(21)))
        // Ten minutes later the invalid responses have left the window: full rate again.
        let later = machine.isSlowed(now: .seconds(611))
        #expect(!later)
    }

    @Test func stopsAtHalfOfDiscordsBanThresholdAndSaysWhy() throws {
        #expect(RateLimitStateMachine.Configuration().invalidRequestLimit == 5000)
        let error = DiscordRESTError.invalidRequestBudgetExhausted(
            route: "GET /users/@me", count: 5000, limit: 5000, processWide: true)
        let text = String(describing: error)
        #expect(text.contains("5000 invalid responses") && text.contains("across every token of this process"))
        #expect(text.contains("half of Discord's 10,000"))
    }

    @Test func tokensOfOneProcessShareTheLedger() async throws {
        let clock = TestClock()
        let ledger = InvalidRequestLedger(limit: 3, now: { clock.now.offset })
        let first = RateLimiter(clock: clock, ledger: ledger)
        let second = RateLimiter(clock: clock, ledger: ledger)
        for (index, limiter) in [first, first, second].enumerated() {
            let route = RouteKey(method: "GET", template: "/channels/{channel_id}", major: "channel:\(index)")
            let sent = try await limiter.acquire(route)
            _ = await limiter.complete(sent, response: .init(status: 403, discordCode: 50001))
        }
        #expect(ledger.invalidCount() == 3 && ledger.totalRequests == 3)
        await #expect(throws: DiscordRESTError.self) { try await second.acquire(user) }
        await #expect(throws: DiscordRESTError.self) { try await first.acquire(user) }
        clock.advance(by: .seconds(600))
        _ = try await first.acquire(user)
    }
}
