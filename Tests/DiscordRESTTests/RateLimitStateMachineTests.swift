import Testing

@testable import DiscordREST

/// The limiter's logic in virtual time: no clock, no I/O.
@Suite struct RateLimitStateMachineTests {
    let messagesA = RouteKey(method: "GET", template: "/channels/{channel_id}/messages", major: "channel:1")
    let messagesB = RouteKey(method: "GET", template: "/channels/{channel_id}/messages", major: "channel:2")
    let user = RouteKey(method: "GET", template: "/users/@me", major: "")

    func headers(limit: Int = 5, remaining: Int, resetAfter: Double = 5, bucket: String = "abc") -> RateLimitHeaders {
        RateLimitHeaders(limit: limit, remaining: remaining, resetAfter: resetAfter, bucket: bucket)
    }

    func permit(_ action: RateLimitStateMachine.AcquireAction) throws -> RateLimitStateMachine.Permit {
        guard case .send(let permit) = action else {
            Issue.record("expected .send, got \(action)")
            throw CancellationError()
        }
        return permit
    }

    @Test func unknownBucketSendsOneAtATimeUntilHeadersArrive() throws {
        var machine = RateLimitStateMachine()
        let first = try permit(machine.acquire(messagesA, now: .zero))
        #expect(first.isProbe)
        let result1 = machine.acquire(messagesA, now: .zero)
        #expect(result1 == .waitForResponse)
        // Another channel waits too: until the first answer, nothing says whether the channels share a limit.
        let other = machine.acquire(messagesB, now: .zero)
        #expect(other == .waitForResponse)
        _ = machine.complete(
            first, response: .init(status: 200, headers: headers(remaining: 4)), now: .milliseconds(10))
        #expect(machine.bucketHash(for: messagesA) == "abc")
        // Now up to Remaining (4) may run concurrently.
        for _ in 0..<4 { _ = try permit(machine.acquire(messagesA, now: .milliseconds(10))) }
        let result2 = machine.acquire(messagesA, now: .milliseconds(10))
        #expect(result2 == .wait(until: .milliseconds(5010)))
    }

    @Test func newMajorValueOnKnownTemplateStartsWithLearnedLimit() throws {
        var machine = RateLimitStateMachine()
        let third = RouteKey(method: "GET", template: messagesA.template, major: "channel:3")
        let first = try permit(machine.acquire(messagesA, now: .zero))
        _ = machine.complete(first, response: .init(status: 200, headers: headers(remaining: 4)), now: .zero)
        // channel 3 was never probed, yet it shares the hash: no serial first request, its own counter with the
        // learned limit.
        let sent = try permit(machine.acquire(third, now: .zero))
        #expect(sent.bucket == BucketKey(hash: "abc", major: "channel:3") && !sent.isProbe)
        #expect(machine.remaining(for: third) == 4)
        #expect(machine.remaining(for: messagesA) == 4)
    }

    @Test func sendsBeyondWhatTheRouteWasSeenToAdmitGoOneAtATime() throws {
        var machine = RateLimitStateMachine()
        let third = RouteKey(method: "GET", template: messagesA.template, major: "channel:3")
        let first = try permit(machine.acquire(messagesA, now: .zero))
        _ = machine.complete(first, response: .init(status: 200, headers: headers(remaining: 4)), now: .zero)
        // One request was seen admitted in the route window, and it is still in the window (counted by send
        // instant, the request that taught the hash included): a second counter's send goes beyond what was seen
        // admitted (a probe), and the one after waits for the probe's answer.
        let probe = try permit(machine.acquire(third, now: .zero))
        #expect(probe.isRouteProbe)
        #expect(machine.acquire(third, now: .zero) == .waitForResponse)
        #expect(machine.acquire(messagesA, now: .zero) == .waitForResponse)
        _ = machine.complete(
            probe, response: .init(status: 200, headers: headers(remaining: 4)), now: .milliseconds(10))
        // Its answer proves one more: the next send goes out.
        _ = try permit(machine.acquire(messagesA, now: .milliseconds(10)))
    }

    @Test func remainingZeroWaitsForResetAfterThenRefills() throws {
        var machine = RateLimitStateMachine()
        let first = try permit(machine.acquire(messagesA, now: .zero))
        _ = machine.complete(
            first, response: .init(status: 200, headers: headers(limit: 2, remaining: 0, resetAfter: 2)),
            now: .milliseconds(100))
        let result4 = machine.acquire(messagesA, now: .milliseconds(200))
        #expect(result4 == .wait(until: .milliseconds(2100)))
        let a = try permit(machine.acquire(messagesA, now: .milliseconds(2100)))
        let b = try permit(machine.acquire(messagesA, now: .milliseconds(2100)))
        #expect(a.bucket == b.bucket)
        let result5 = machine.acquire(messagesA, now: .milliseconds(2100))
        #expect(result5 == .waitForResponse)
        _ = machine.complete(
            a, response: .init(status: 200, headers: headers(limit: 2, remaining: 1, resetAfter: 2)),
            now: .milliseconds(2150))
        // b is still in flight and may not be counted yet: remaining = 1 - 1 = 0 until the window ends.
        let result6 = machine.acquire(messagesA, now: .milliseconds(2160))
        #expect(result6 == .wait(until: .milliseconds(4150)))
    }

    @Test func globalWindowCapsSendsPerSecond() throws {
        var configuration = RateLimitStateMachine.Configuration()
        configuration.globalLimit = 3
        configuration.globalWindow = .seconds(1)
        var machine = RateLimitStateMachine(configuration: configuration)
        var permits: [RateLimitStateMachine.Permit] = []
        for index in 0..<3 {
            let route = RouteKey(method: "GET", template: "/channels/{channel_id}/\(index)", major: "channel:\(index)")
            let sent = Duration.milliseconds(index * 100)
            permits.append(try permit(machine.acquire(route, now: sent)))
            _ = machine.complete(permits[index], response: .init(status: 200), now: sent)
        }
        let fourth = RouteKey(method: "GET", template: "/channels/{channel_id}/9", major: "channel:9")
        let result7 = machine.acquire(fourth, now: .milliseconds(300))
        #expect(result7 == .wait(until: .seconds(1)))
        _ = try permit(machine.acquire(fourth, now: .seconds(1)))
        #expect(machine.acquire(fourth, now: .seconds(1)) == .waitForResponse)  // its probe is out
        #expect(machine.globalCount(now: .seconds(1)) == 3)
    }

    /// Discord counts a request when it arrives, somewhere between its send and its answer: a send holds its global
    /// slot while in flight and for Discord's window after its answer, so sends that reach Discord late never put more
    /// than the limit into one of its windows.
    @Test func aGlobalSlotIsHeldUntilAWindowAfterTheAnswer() throws {
        var configuration = RateLimitStateMachine.Configuration()
        configuration.globalLimit = 2
        configuration.globalWindow = .milliseconds(1200)
        var machine = RateLimitStateMachine(configuration: configuration)
        let routes = (0..<4).map {
            RouteKey(method: "GET", template: "/channels/{channel_id}/\($0)", major: "channel:\($0)")
        }
        let first = try permit(machine.acquire(routes[0], now: .zero))
        let second = try permit(machine.acquire(routes[1], now: .milliseconds(100)))
        // An answer 50 ms after its send: the slot frees at the send window's end (1.2 s after the send), later
        // than Discord's window after the answer.
        _ = machine.complete(second, response: .init(status: 200), now: .milliseconds(150))
        #expect(machine.acquire(routes[2], now: .milliseconds(300)) == .wait(until: .milliseconds(1300)))
        _ = try permit(machine.acquire(routes[2], now: .milliseconds(2000)))
        // Two in flight: only an answer frees a slot, however long ago they were sent.
        #expect(machine.acquire(routes[3], now: .milliseconds(2000)) == .waitForResponse)
        // The first is answered 2.5 s after its send: Discord may have counted it just now, so its slot frees a
        // window after the answer, not after the send.
        _ = machine.complete(first, response: .init(status: 200), now: .milliseconds(2500))
        #expect(machine.acquire(routes[3], now: .milliseconds(2500)) == .wait(until: .milliseconds(3500)))
        #expect(machine.globalCount(now: .milliseconds(3499)) == 2)
        _ = try permit(machine.acquire(routes[3], now: .milliseconds(3500)))
    }

    @Test func globalRateLimitPausesEveryRoute() throws {
        var machine = RateLimitStateMachine()
        let first = try permit(machine.acquire(user, now: .zero))
        let verdict = machine.complete(
            first,
            response: .init(
                status: 429, headers: RateLimitHeaders(isGlobal: true, scope: "global", retryAfter: 2),
                bodyRetryAfter: 1.5, bodyGlobal: true),
            now: .seconds(1))
        #expect(verdict == .rateLimited(scope: .global, retryAfter: .seconds(1.5), unexpected: false))
        let result8 = machine.acquire(messagesA, now: .seconds(2))
        #expect(result8 == .wait(until: .seconds(2.5)))
        let result9 = machine.acquire(user, now: .seconds(2))
        #expect(result9 == .wait(until: .seconds(2.5)))
        _ = try permit(machine.acquire(messagesA, now: .seconds(2.5)))
        let result10 = machine.invalidRequestCount(now: .seconds(3))
        #expect(result10 == 1)
    }

    /// Discord checks the global limit before any route's: a global 429 (no bucket headers) was not counted by the
    /// request's bucket, whose window keeps the slot for the retry.
    @Test func aGlobal429LeavesItsBucketsSlot() throws {
        var machine = RateLimitStateMachine()
        let first = try permit(machine.acquire(messagesA, now: .zero))
        _ = machine.complete(
            first, response: .init(status: 200, headers: headers(remaining: 4)), now: .milliseconds(10))
        for remaining in [3, 2, 1] {
            let sent = try permit(machine.acquire(messagesA, now: .milliseconds(20)))
            _ = machine.complete(
                sent, response: .init(status: 200, headers: headers(remaining: remaining, resetAfter: 4.98)),
                now: .milliseconds(30))
        }
        let refused = try permit(machine.acquire(messagesA, now: .milliseconds(40)))
        _ = machine.complete(
            refused,
            response: .init(
                status: 429, headers: RateLimitHeaders(isGlobal: true, scope: "global"), bodyRetryAfter: 0.05,
                bodyGlobal: true),
            now: .milliseconds(50))
        #expect(machine.remaining(for: messagesA) == 1)
        // After the pause the retry goes into this window, not at its reset (a window one short, then one more).
        _ = try permit(machine.acquire(messagesA, now: .milliseconds(100)))
    }

    @Test func sharedRateLimitBacksOffTheResourceOnlyAndIsNotInvalid() throws {
        var machine = RateLimitStateMachine()
        let first = try permit(machine.acquire(messagesA, now: .zero))
        let verdict = machine.complete(
            first,
            response: .init(
                status: 429,
                headers: RateLimitHeaders(
                    limit: 5, remaining: 3, resetAfter: 1, bucket: "abc", scope: "shared", retryAfter: 4),
                bodyRetryAfter: 3.2),
            now: .zero)
        #expect(verdict == .rateLimited(scope: .shared, retryAfter: .seconds(3.2), unexpected: false))
        let result11 = machine.acquire(messagesA, now: .seconds(1))
        #expect(result11 == .wait(until: .seconds(3.2)))
        _ = try permit(machine.acquire(messagesB, now: .seconds(1)))  // another channel is unaffected
        let result12 = machine.invalidRequestCount(now: .seconds(1))
        #expect(result12 == 0)
    }

    /// A machine whose channel A answered 10 per 10 s with 9 left, and the permit of its second send at 1 s.
    func machineWithOneAnswerAndASecondSend() throws -> (RateLimitStateMachine, RateLimitStateMachine.Permit) {
        var machine = RateLimitStateMachine()
        let first = try permit(machine.acquire(messagesA, now: .zero))
        _ = machine.complete(
            first, response: .init(status: 200, headers: headers(limit: 10, remaining: 9, resetAfter: 10)), now: .zero)
        let second = try permit(machine.acquire(messagesA, now: .seconds(1)))
        return (machine, second)
    }

    @Test func unexpectedUserRateLimitTightensTheBucket() throws {
        var (machine, second) = try machineWithOneAnswerAndASecondSend()
        let verdict = machine.complete(
            second,
            response: .init(
                status: 429,
                headers: RateLimitHeaders(limit: 10, remaining: 8, resetAfter: 9, bucket: "abc", scope: "user"),
                bodyRetryAfter: 2),
            now: .seconds(1))
        #expect(verdict == .rateLimited(scope: .user, retryAfter: .seconds(2), unexpected: true))
        // The headers lied: the bucket now runs on what it was seen to admit in the window (1).
        #expect(!machine.headersTrusted(for: messagesA))
        #expect(machine.observedLimit(for: messagesA) == 1)
        #expect(machine.ceiling(for: messagesA) == 1)
        // Headers said 8 remain, but the limiter waits the 429 out, and an untrusted counter spreads its learned
        // limit over the window: the next send is one window (10 s + the 150 ms tolerance) after the last.
        let result13 = machine.acquire(messagesA, now: .seconds(1))
        #expect(result13 == .wait(until: .milliseconds(11_150)))
        let result14 = machine.invalidRequestCount(now: .seconds(1))
        #expect(result14 == 1)
    }

    @Test func aUserRateLimitWithoutBucketHeadersIsWaitedOutAndTeachesNothing() throws {
        // Every header is optional (reference §2): a 429 with only its body and `Retry-After` cannot be told from
        // the counter's own, so the counter waits it out and keeps the limit its headers announced. Before, it was
        // taken for a hidden limit and the whole hash ran on what one window had admitted.
        var (machine, second) = try machineWithOneAnswerAndASecondSend()
        let verdict = machine.complete(
            second,
            response: .init(status: 429, headers: RateLimitHeaders(retryAfter: 1), bodyRetryAfter: nil),
            now: .seconds(1))
        #expect(verdict == .rateLimited(scope: .user, retryAfter: .seconds(1), unexpected: false))
        #expect(machine.headersTrusted(for: messagesA))
        #expect(machine.observedLimit(for: messagesA) == nil)
        // The counter waits for the later of the 429's wait and its window's reset, then sends again at full rate.
        #expect(machine.acquire(messagesA, now: .seconds(1)) == .wait(until: .seconds(10)))
        _ = try permit(machine.acquire(messagesA, now: .seconds(10)))
        _ = try permit(machine.acquire(messagesA, now: .seconds(10)))
        #expect(machine.invalidRequestCount(now: .seconds(10)) == 1)
    }

    @Test func unauthorizedLatchesAndRefusesEverything() throws {
        var machine = RateLimitStateMachine()
        let first = try permit(machine.acquire(user, now: .zero))
        let result15 = machine.complete(first, response: .init(status: 401, discordCode: 0), now: .zero)
        #expect(result15 == .completed)
        let result16 = machine.acquire(messagesA, now: .seconds(60))
        #expect(result16 == .refuse(.tokenRejected))
    }

    @Test func webhookTokenRejectionDoesNotStopTheBotToken() throws {
        var machine = RateLimitStateMachine()
        let execute = RouteKey(
            method: "POST", template: "/webhooks/{webhook_id}/{webhook_token}", major: "webhook:1:ab")
        let sent = try permit(machine.acquire(execute, now: .zero))
        _ = machine.complete(sent, response: .init(status: 401, discordCode: 50027, carriedToken: false), now: .zero)
        _ = try permit(machine.acquire(user, now: .zero))
        let count = machine.invalidRequestCount(now: .zero)
        #expect(count == 1)
    }

    @Test func forbiddenChannelIsRemembered() throws {
        var machine = RateLimitStateMachine()
        let first = try permit(machine.acquire(messagesA, now: .zero))
        _ = machine.complete(first, response: .init(status: 403, discordCode: 50001), now: .zero)
        let result17 = machine.acquire(messagesA, now: .zero)
        #expect(result17 == .refuse(.knownForbidden))
        let single = RouteKey(method: "GET", template: "/channels/{channel_id}", major: "channel:1")
        let result18 = machine.acquire(single, now: .zero)
        #expect(result18 == .refuse(.knownForbidden))
        _ = try permit(machine.acquire(messagesB, now: .zero))
    }

    @Test func invalidRequestGuardRefusesAtItsLimitAndReopens() throws {
        var configuration = RateLimitStateMachine.Configuration()
        configuration.invalidRequestLimit = 3
        configuration.invalidRequestWindow = .seconds(600)
        var machine = RateLimitStateMachine(configuration: configuration)
        for index in 0..<3 {
            let route = RouteKey(
                method: "GET", template: "/channels/{channel_id}/messages", major: "channel:\(100 + index)")
            let sent = try permit(machine.acquire(route, now: .seconds(index)))
            _ = machine.complete(sent, response: .init(status: 403, discordCode: 50013), now: .seconds(index))
        }
        #expect(
            machine.acquire(messagesA, now: .seconds(10))
                == .refuse(.invalidRequestBudgetExhausted(count: 3, limit: 3, reopensAt: .seconds(600))))
        _ = try permit(machine.acquire(messagesA, now: .seconds(600)))
    }

    @Test func invalidRequestGuardRollsOver() {
        var guardrail = InvalidRequestGuard(limit: 2, window: .seconds(10))
        guardrail.record(now: .seconds(0))
        guardrail.record(now: .seconds(5))
        let result19 = guardrail.isExhausted(now: .seconds(9))
        #expect(result19)
        let result20 = guardrail.isExhausted(now: .seconds(10))
        #expect(!result20)
        let result21 = guardrail.count(now: .seconds(15))
        #expect(result21 == 0)
    }

    @Test func routeWithoutBucketHeadersBecomesUnlimited() throws {
        var machine = RateLimitStateMachine()
        let first = try permit(machine.acquire(user, now: .zero))
        _ = machine.complete(first, response: .init(status: 200), now: .zero)
        #expect(machine.isUnlimited(user))
        for _ in 0..<10 { _ = try permit(machine.acquire(user, now: .zero)) }
    }

    @Test func serverErrorsDoNotTeachOrBlock() throws {
        var machine = RateLimitStateMachine()
        let first = try permit(machine.acquire(user, now: .zero))
        _ = machine.complete(first, response: .init(status: 502), now: .zero)
        #expect(!machine.isUnlimited(user))
        let second = try permit(machine.acquire(user, now: .zero))
        #expect(second.isProbe)
        machine.cancel(second, now: .zero)
        _ = try permit(machine.acquire(user, now: .zero))
    }
}
