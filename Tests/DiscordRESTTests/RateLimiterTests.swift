import TestSupport
import Testing

@testable import DiscordREST

/// The limiter actor on an injected clock: callers wait in virtual time.
@Suite struct RateLimiterTests {
    /// A limiter of two global slots per second, both held until 1 s by sends answered at once, and `count` routes of
    /// a template each (the first two sent; one template's bucket is probed one request at a time, whatever the
    /// channel).
    static func limiterWithGlobalSlotsHeld(
        routes count: Int
    ) async throws -> (clock: TestClock, limiter: RateLimiter<TestClock>, routes: [RouteKey]) {
        var configuration = RateLimitStateMachine.Configuration()
        configuration.globalLimit = 2
        configuration.globalWindow = .seconds(1)
        let clock = TestClock()
        let limiter = RateLimiter(configuration: configuration, clock: clock)
        let routes = (1...count).map {
            RouteKey(method: "GET", template: "/channels/{channel_id}/\($0)", major: "channel:\($0)")
        }
        let first = try await limiter.acquire(routes[0])
        let second = try await limiter.acquire(routes[1])
        // Answered at once: a global slot is held while its request is in flight and until a global window after its
        // answer.
        _ = await limiter.complete(first, response: .init(status: 200))
        _ = await limiter.complete(second, response: .init(status: 200))
        return (clock, limiter, routes)
    }

    @Test func callersOverTheGlobalWindowSleepOnTheInjectedClock() async throws {
        let (clock, limiter, routes) = try await Self.limiterWithGlobalSlotsHeld(routes: 3)
        let third = Task { try await limiter.acquire(routes[2]) }
        await clock.waitForSleepers(1)
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .milliseconds(999))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .milliseconds(1))
        let permit = try await third.value
        #expect(permit.sentAt == .seconds(1))
        #expect(permit.id == 3)
    }

    @Test func secondCallerOnAnUnknownRouteWaitsForTheFirstResponse() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(clock: clock)
        let route = RouteKey(method: "GET", template: "/channels/{channel_id}/messages", major: "channel:1")
        let probe = try await limiter.acquire(route)
        let follower = Task { try await limiter.acquire(route) }
        await limiter.waitForParkedCallers(1)  // an event: the follower is waiting for a response
        await #expect(limiter.remainingForTest(route) == nil)
        _ = await limiter.complete(
            probe,
            response: .init(status: 200, headers: .init(limit: 5, remaining: 4, resetAfter: 5, bucket: "h")))
        let next = try await follower.value
        #expect(next.bucket == BucketKey(hash: "h", major: "channel:1"))
        #expect(!next.isProbe)
    }

    @Test func manyConcurrentCallersShareABucketWithoutOverspending() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(clock: clock)
        let granted = Granted()
        let route = RouteKey(method: "GET", template: "/channels/{channel_id}/messages", major: "channel:1")
        let probe = try await limiter.acquire(route)
        _ = await limiter.complete(
            probe, response: .init(status: 200, headers: .init(limit: 5, remaining: 4, resetAfter: 5, bucket: "h")))
        // 12 callers: 4 go now, 5 after the reset at 5 s, 3 after the next reset at 10 s.
        let tasks = (0..<12).map { _ in
            Task {
                let permit = try await limiter.acquire(route)
                await granted.add(permit)
                return permit
            }
        }
        func answer(_ count: Int, resetAfter: Double) async throws {
            let permits = try await granted.take(count)
            for (index, permit) in permits.enumerated() {
                let headers = RateLimitHeaders(
                    limit: 5, remaining: max(0, 4 - index - (5 - count)), resetAfter: resetAfter, bucket: "h")
                _ = await limiter.complete(permit, response: .init(status: 200, headers: headers))
            }
        }
        try await answer(4, resetAfter: 5)
        // The eight callers waiting for the reset share one timer: the limiter asks again for them when it fires.
        await limiter.waitForWaitingCallers(8)
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(5))
        try await answer(5, resetAfter: 5)
        await limiter.waitForWaitingCallers(3)
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(5))
        var times: [Duration] = []
        for task in tasks { times.append(try await task.value.sentAt) }
        #expect(times.filter { $0 == .zero }.count == 4)
        #expect(times.filter { $0 == .seconds(5) }.count == 5)
        #expect(times.filter { $0 == .seconds(10) }.count == 3)
    }
}

/// Collects permits as callers get them.
actor Granted {
    private var permits: [RateLimitStateMachine.Permit] = []
    private var waiter: (count: Int, continuation: CheckedContinuation<Void, Never>)?

    func add(_ permit: RateLimitStateMachine.Permit) {
        permits.append(permit)
        if let waiter, permits.count >= waiter.count {
            self.waiter = nil
            waiter.continuation.resume()
        }
    }

    /// Waits for the event "`count` permits granted" and removes them.
    func take(_ count: Int) async throws -> [RateLimitStateMachine.Permit] {
        if permits.count < count {
            await withCheckedContinuation { waiter = (count, $0) }
        }
        let taken = Array(permits.prefix(count))
        permits.removeFirst(taken.count)
        return taken
    }
}

extension RateLimiter {
    /// What the machine would allow now on `route`'s counter (tests only).
    func remainingForTest(_ route: RouteKey) -> Int? { machineRemaining(route) }
}
