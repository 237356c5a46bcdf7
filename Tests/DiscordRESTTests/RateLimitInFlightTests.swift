import Testing

@testable import DiscordREST

/// Requests in flight when an answer arrives, in virtual time: the server counts requests in the order they reach
/// it, so an answer's `Remaining` counts every request sent before the answered one and none sent after it. The
/// limiter subtracts only the later ones; subtracting all of them lost one send per window for each request sent
/// earlier and still unanswered (answers out of order, or a window reset between two requests).
@Suite struct RateLimitInFlightTests {
    let route = RouteKey(method: "GET", template: "/channels/{channel_id}/messages", major: "channel:1")

    /// A counter of `limit` per `window` that counts requests in send order, as Discord and the simulator do.
    struct Server {
        var limit = 5
        var window: Duration = .seconds(1)
        var resetAt: Duration?
        var count = 0
        /// Requests counted beyond the limit of their window (answered 429).
        var exceeded = 0

        /// Counts a request arriving at `now` and returns its headers.
        mutating func count(at now: Duration) -> RateLimitStateMachine.Response {
            if resetAt == nil || now >= resetAt! {
                resetAt = now + window
                count = 0
            }
            count += 1
            if count > limit { exceeded += 1 }
            let after = resetAt! - now
            let seconds = Double(after.components.seconds) + Double(after.components.attoseconds) / 1e18
            return .init(
                status: 200,
                headers: RateLimitHeaders(
                    limit: limit, remaining: max(0, limit - count), resetAfter: seconds, bucket: "h"))
        }
    }

    func send(_ machine: inout RateLimitStateMachine, at now: Duration) throws -> RateLimitStateMachine.Permit {
        guard case .send(let permit) = machine.acquire(route, now: now) else {
            Issue.record("expected a send at \(now), got \(machine.acquire(route, now: now))")
            throw CancellationError()
        }
        return permit
    }

    /// Reads the answers of `first` and `second` 1 ms apart from `now`, in that order or reversed.
    func complete(
        _ machine: inout RateLimitStateMachine, _ first: (RateLimitStateMachine.Permit, RateLimitStateMachine.Response),
        _ second: (RateLimitStateMachine.Permit, RateLimitStateMachine.Response), reversed: Bool, at now: Duration
    ) {
        let (early, late) = reversed ? (second, first) : (first, second)
        _ = machine.complete(early.0, response: early.1, now: now)
        _ = machine.complete(late.0, response: late.1, now: now + .milliseconds(1))
    }

    /// Sends the machine allows at `now` before it says wait.
    func sendsAllowed(_ machine: inout RateLimitStateMachine, at now: Duration) -> Int {
        var count = 0
        while case .send = machine.acquire(route, now: now) { count += 1 }
        return count
    }

    @Test(arguments: [false, true])
    func twoInFlightAnsweredInEitherOrderLoseNoSend(reversed: Bool) throws {
        var machine = RateLimitStateMachine()
        var server = Server()
        // The first request teaches the bucket: 4 of 5 remain until 1.010 s.
        let first = try send(&machine, at: .zero)
        _ = machine.complete(first, response: server.count(at: .milliseconds(5)), now: .milliseconds(10))
        // Two requests in flight; the server counts a before b.
        let a = try send(&machine, at: .milliseconds(10))
        let b = try send(&machine, at: .milliseconds(11))
        let answerA = server.count(at: .milliseconds(15))  // Remaining 3: b not counted yet
        let answerB = server.count(at: .milliseconds(16))  // Remaining 2: a counted
        complete(&machine, (a, answerA), (b, answerB), reversed: reversed, at: .milliseconds(20))
        // Three of five used: two more fit in the window, and the third waits for the reset.
        #expect(machine.remaining(for: route) == 2)
        #expect(sendsAllowed(&machine, at: .milliseconds(22)) == 2)
    }

    @Test(arguments: [false, true])
    func aWindowResetBetweenTwoInFlightLosesNoSend(reversed: Bool) throws {
        var machine = RateLimitStateMachine()
        var server = Server()
        let first = try send(&machine, at: .zero)
        _ = machine.complete(first, response: server.count(at: .milliseconds(5)), now: .milliseconds(10))
        // Use the window up to its last request: a goes out with one left.
        var answered: [RateLimitStateMachine.Permit] = []
        for _ in 0..<3 { answered.append(try send(&machine, at: .milliseconds(100))) }
        for permit in answered {
            _ = machine.complete(permit, response: server.count(at: .milliseconds(105)), now: .milliseconds(110))
        }
        let a = try send(&machine, at: .milliseconds(900))
        // The old window ends at 1.005 s (server) / 1.010 s (client): b goes out at the client's reset, with a
        // still in flight. The server counted a in the old window and b in the new one.
        #expect(machine.acquire(route, now: .milliseconds(901)) == .wait(until: .milliseconds(1010)))
        let answerA = server.count(at: .milliseconds(1004))  // old window: Remaining 0
        let b = try send(&machine, at: .milliseconds(1010))
        let answerB = server.count(at: .milliseconds(1015))  // new window: Remaining 4
        complete(&machine, (a, answerA), (b, answerB), reversed: reversed, at: .milliseconds(1020))
        // One of the new window's five used: four more.
        #expect(machine.remaining(for: route) == 4)
        #expect(sendsAllowed(&machine, at: .milliseconds(1022)) == 4)
    }

    @Test func manyInFlightOverSeveralWindowsUseEveryWindowFully() throws {
        // A deep channel's ranges: 4 callers on one counter of 5 per second, 50 ms apart, each sending its next
        // request as soon as its answer arrives (latency 100 ms, the server counting at half of it), answers of
        // every other request delayed 30 ms so they arrive out of order. Each full window must admit all 5.
        var machine = RateLimitStateMachine()
        var server = Server()
        var inFlight: [(permit: RateLimitStateMachine.Permit, response: RateLimitStateMachine.Response, at: Duration)] =
            []
        var ready: [Duration] = [.zero, .milliseconds(50), .milliseconds(100), .milliseconds(150)]
        var sent = 0
        var now: Duration = .zero
        let end: Duration = .seconds(10)
        while now < end {
            for index in inFlight.indices.reversed() where inFlight[index].at <= now {
                _ = machine.complete(inFlight[index].permit, response: inFlight[index].response, now: now)
                inFlight.remove(at: index)
                ready.append(now)
            }
            var waiting: [Duration] = []
            for at in ready {
                guard at <= now else {
                    waiting.append(at)
                    continue
                }
                switch machine.acquire(route, now: now) {
                case .send(let permit):
                    sent += 1
                    let response = server.count(at: now + .milliseconds(50))
                    inFlight.append((permit, response, now + .milliseconds(sent % 2 == 0 ? 130 : 100)))
                case .wait(let until): waiting.append(until)
                case .waitForResponse, .waitForGlobalSlot:  // no waiter id given: never parked
                    waiting.append(inFlight.map(\.at).min() ?? now + .milliseconds(1))
                case .refuse(let refusal):
                    Issue.record("refused: \(refusal)")
                    return
                }
            }
            ready = waiting
            let next = (ready + inFlight.map(\.at)).min() ?? end
            now = max(next, now + .milliseconds(1))
        }
        // Reactive bound: a window of 1 s, then the answer that shows the reset (100 ms) before the next burst:
        // 5 per 1.1 s at best, 45 in 10 s. Losing one send per window (the old accounting) gave 4 per window.
        #expect(sent >= 44, "sent \(sent) in 10 s")
        #expect(server.exceeded == 0)
    }
}
