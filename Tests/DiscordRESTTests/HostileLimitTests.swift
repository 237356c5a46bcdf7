import Testing

@testable import DiscordREST

/// The benchmark's hostile scenario in virtual time: 40 channels, one caller each (the engine's one range per
/// channel when 40 are pending), 40 ms latency with the server deciding on arrival, buckets of 5 per 5 s announced
/// as 10, an unannounced per-token limit of 20 per second across them, and 3% of requests answered 502 before any
/// limit counts them (the caller backs off 500 ms). Requests reach the server up to `jitter` later than granted.
@Suite struct HostileLimitTests {
    static func hostileRun(jitter: Int) -> VirtualRun {
        var server = VirtualDiscord()
        server.faultRate = 0.03
        var run = VirtualRun(server: server, majors: (0..<40).map { "channel:\($0)" })
        run.latency = .milliseconds(40)
        run.decidedAt = 1
        run.thinkTime = .milliseconds(5)
        run.faultBackoff = .milliseconds(500)
        run.sendJitter = { n in .microseconds(Int((UInt64(n) &* 2_654_435_761) % 1000) * jitter) }
        return run
    }

    @Test(arguments: [0, 20, 50])
    func theHiddenLimitIsSpentNotExceeded(jitterMilliseconds: Int) {
        var run = Self.hostileRun(jitter: jitterMilliseconds)
        run.run(until: .seconds(100))
        let route = RouteKey(method: "GET", template: run.template, major: "channel:0")
        // The bucket's lie and the hidden limit are both learned, each from its own 429s: a hidden 429 whose
        // retry_after does not end with the bucket's reset never teaches the bucket (it taught 1 or 2 per 5 s, and
        // a burst that reached the server ahead of the refused send left out of the count taught the route 5).
        #expect(run.machine.observedLimit(for: route) == 5, "\(run.limitNotes)")
        #expect(run.machine.routeLimit(for: route).map { (19...20).contains($0) } == true, "\(run.limitNotes)")
        let total = run.counts(from: .zero)
        #expect(total.invalid * 100 <= total.requests, "\(total.invalid) invalid of \(total.requests)")
        // Once learned (20 s: the route grows by one request per window until then), the limit is spent: 20/s for
        // 80 s is 1,600 (1,470-1,514 measured with a 50 ms window margin; 1,414 with 100 ms, and faults then kept
        // their slots in the route's window).
        let steady = run.log.filter { $0.at >= .seconds(20) && $0.status == 200 }.count
        #expect(steady >= 1_440, "admitted \(steady) of 1,600 from 20 s on; \(run.limitNotes)")
        #expect(run.server.admitted >= 1_720, "admitted \(run.server.admitted) of 2,000")
    }

    @Test func aFaultGivesItsSlotBack() {
        var machine = RateLimitStateMachine()
        let route = RouteKey(method: "GET", template: "/channels/{channel_id}/messages", major: "channel:1")
        guard case .send(let first) = machine.acquire(route, now: .zero) else {
            Issue.record("first send refused")
            return
        }
        let headers = RateLimitHeaders(limit: 5, remaining: 4, resetAfter: 5, bucket: "history")
        _ = machine.complete(first, response: .init(status: 200, headers: headers), now: .milliseconds(10))
        #expect(machine.remaining(for: route) == 4)
        guard case .send(let faulted) = machine.acquire(route, now: .milliseconds(20)) else {
            Issue.record("second send refused")
            return
        }
        #expect(machine.remaining(for: route) == 3)
        // A 502 without rate-limit headers came from before the limits (reference: injected 5xx responses do not
        // touch buckets): the window has its slot back.
        _ = machine.complete(faulted, response: .init(status: 502), now: .milliseconds(30))
        #expect(machine.remaining(for: route) == 4)
        // A 502 that names the bucket was counted: its slot stays spent.
        guard case .send(let counted) = machine.acquire(route, now: .milliseconds(40)) else {
            Issue.record("third send refused")
            return
        }
        _ = machine.complete(counted, response: .init(status: 502, headers: headers), now: .milliseconds(50))
        #expect(machine.remaining(for: route) == 3)
    }
}
