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

    /// Wake-ups up to `milliseconds` late (uniform, the same for every caller of one instant): a busy machine.
    static func lateness(_ milliseconds: Int) -> @Sendable (Duration) -> Duration {
        { at in
            let (seconds, attoseconds) = at.components
            let micros = UInt64(seconds) &* 1_000_000 &+ UInt64(attoseconds / 1_000_000_000_000)
            return .microseconds(Int((micros &* 2_654_435_761 >> 7) % UInt64(max(1, milliseconds) * 1000)))
        }
    }

    @Test(arguments: [0, 20, 50])
    func theHiddenLimitIsSpentNotExceeded(jitterMilliseconds: Int) {
        var run = Self.hostileRun(jitter: jitterMilliseconds)
        let route = RouteKey(method: "GET", template: run.template, major: "channel:0")
        // The first lie (a channel's sixth request in its 5 s window) comes within the first second; until the
        // route's own limit is learned it grows by at most one request per window (the issue's rule), so it reaches
        // the hidden limit after 20-28 s. Growing one probe per answer learned it in 2-3 s in this model, but drew
        // more of the hidden limit's 429s on the real simulator and spent less of it (81.7% against 88.7%).
        run.run(until: .seconds(100))
        // The bucket's lie and the hidden limit are both learned, each from its own 429s: a hidden 429 whose
        // retry_after does not end with the bucket's reset never teaches the bucket (it taught 1 or 2 per 5 s, and
        // a burst that reached the server ahead of the refused send left out of the count taught the route 5).
        #expect(run.machine.observedLimit(for: route).map { (5...6).contains($0) } == true, "\(run.limitNotes)")
        #expect(run.machine.routeLimit(for: route).map { (19...20).contains($0) } == true, "\(run.limitNotes)")
        let total = run.counts(from: .zero)
        #expect(total.invalid * 100 <= total.requests, "\(total.invalid) invalid of \(total.requests)")
        // Once learned (20-28 s: one request per window until then), the limit is spent: 20/s for 70 s is 1,400
        // (1,297-1,306 measured from 30 s on; 1,750-1,760 of 2,000 in all).
        let steady = run.log.filter { $0.at >= .seconds(30) && $0.status == 200 }.count
        #expect(steady >= 1_270, "admitted \(steady) of 1,400 from 30 s on; \(run.limitNotes)")
        #expect(run.server.admitted >= 1_720, "admitted \(run.server.admitted) of 2,000")
    }

    /// The route's proven count is one server window's: the model's hidden window opens at the first request after
    /// the last one ended, so it lies anywhere against the client's. Counted over the client's 1.1 s window, probes
    /// that opened the server's next window proved more than the limit (a traced simulator run: 25 against 20, then
    /// three 429s at once). Proven never above the enforced 20 here, and never three 429s of the hidden limit in one
    /// window.
    @Test(arguments: [0, 20])
    func theProvenCountNeverExceedsTheHiddenLimit(jitterMilliseconds: Int) {
        var run = Self.hostileRun(jitter: jitterMilliseconds)
        let route = RouteKey(method: "GET", template: run.template, major: "channel:0")
        var mostVerified = 0
        var mostLearned = 0
        var step = Duration.zero
        while step < .seconds(60) {
            step += .milliseconds(50)
            run.run(until: step)
            let verified = run.machine.routeVerified(for: route) ?? 0
            if run.machine.routeLimit(for: route) != nil {
                mostLearned = max(mostLearned, verified)
            } else {
                mostVerified = max(mostVerified, verified)
            }
        }
        #expect(
            (19...20).contains(mostVerified), "proven \(mostVerified) before the limit was learned; \(run.limitNotes)")
        // A 429's count may take in one send of the window before (at most one more 429 to correct it).
        #expect(mostLearned <= 21, "verified \(mostLearned) once learned; \(run.limitNotes)")
        // Never a burst: at most two 429s of the hidden limit in one window (one more may be in flight when the
        // first is answered).
        let hidden = run.limitedPermits.filter { ($0.retryAfter ?? 5) < 1.001 }.map(\.at)
        let bursts = zip(hidden, hidden.dropFirst(2)).filter { $1 - $0 < .seconds(1) }
        #expect(bursts.isEmpty, "three 429s of the hidden limit within one window: \(bursts); \(run.limitNotes)")
    }

    /// A busy machine: callers run up to `late` after the instant the limiter named (the same for every caller of
    /// one instant). The simulator's full-size hostile run on a loaded machine (load average 20 on 2 cores) sent its
    /// paced requests 14 ms after their instant on average (35 ms at p90) and spent 15 of the 20 per second once the
    /// limit was learned: each late send was charged a whole spacing from its own instant. This model, at 30 ms, spent
    /// 1,088 of 1,400 from 30 s on that way (78%); a late send now charges its slot, and the next ones catch up.
    @Test(arguments: [30, 60])
    func lateWakeUpsDoNotCostTheLimit(lateMilliseconds: Int) {
        var run = Self.hostileRun(jitter: 20)
        run.wakeLateness = Self.lateness(lateMilliseconds)
        run.run(until: .seconds(100))
        let total = run.counts(from: .zero)
        #expect(total.invalid * 100 <= total.requests, "\(total.invalid) invalid of \(total.requests)")
        let steady = run.log.filter { $0.at >= .seconds(30) && $0.status == 200 }.count
        // 1,298-1,30x measured (a route 429's count now takes in only the server window's sends).
        #expect(steady >= 1_290, "admitted \(steady) of 1,400 from 30 s on; \(run.limitNotes)")
    }

    /// The margin a learned route limit is spent with follows the round trips: an idle machine (requests reach the
    /// server when sent) spends the limit over 1.02 s, a busy one (requests up to 50 ms late) over 1.05 s as before.
    /// With a fixed 1.05 s the idle run admitted at most 20 per 1.05 s (1,333 of 1,400 from 30 s on).
    @Test(arguments: [0, 50])
    func theMarginFollowsTheLateness(jitterMilliseconds: Int) {
        var run = Self.hostileRun(jitter: jitterMilliseconds)
        run.run(until: .seconds(100))
        let total = run.counts(from: .zero)
        #expect(total.invalid * 100 <= total.requests, "\(total.invalid) invalid of \(total.requests)")
        let steady = run.log.filter { $0.at >= .seconds(30) && $0.status == 200 }.count
        let least = jitterMilliseconds == 0 ? 1_340 : 1_270
        #expect(steady >= least, "admitted \(steady) of 1,400 from 30 s on; \(run.limitNotes)")
        let margin = run.machine.globalWindowLength(now: run.now) - run.machine.configuration.globalWindow
        #expect(jitterMilliseconds > 0 || margin < .milliseconds(5), "round trips vary by \(margin)")
    }

    /// A hidden limit that drops mid-run (20 to 14 per second at 40 s) is followed down within a few windows, at a
    /// few 429s, and back up when it rises again (at 70 s), one request per window at most.
    @Test func aHiddenLimitThatChangesIsFollowedDownAndUp() {
        var run = Self.hostileRun(jitter: 20)
        let route = RouteKey(method: "GET", template: run.template, major: "channel:0")
        run.onTick = { now, server in server.hiddenLimit = now >= .seconds(40) && now < .seconds(70) ? 14 : 20 }
        run.run(until: .seconds(70))
        #expect(run.machine.routeLimit(for: route).map { (12...14).contains($0) } == true, "\(run.limitNotes)")
        let lowered = run.counts(from: .seconds(40))
        #expect(lowered.invalid <= 8, "\(lowered.invalid) invalid of \(lowered.requests); \(run.limitNotes)")
        let low = run.log.filter { $0.at >= .seconds(50) && $0.status == 200 }.count
        #expect(low >= 240, "admitted \(low) of 280 from 50 s to 70 s; \(run.limitNotes)")
        run.run(until: .seconds(160))
        // Proven back up (the limit itself may be one above, a raise being probed).
        #expect(run.machine.routeVerified(for: route).map { (18...20).contains($0) } == true, "\(run.limitNotes)")
        #expect(run.machine.routeLimit(for: route).map { (18...21).contains($0) } == true, "\(run.limitNotes)")
        let total = run.counts(from: .zero)
        #expect(total.invalid * 100 <= total.requests, "\(total.invalid) invalid of \(total.requests)")
    }

    /// The benchmark's `--quick` hostile world: 40 channels of 3 pages, no channel reaching its bucket's real limit,
    /// so only the hidden limit binds: 120 pages at 20 per second take 6 s.
    @Test(arguments: [0, 20, 50, 100])
    func aShortRunFinishesNearTheHiddenLimitsCeiling(jitterMilliseconds: Int) {
        var run = Self.hostileRun(jitter: jitterMilliseconds)
        run.pages = Array(repeating: 3, count: 40)
        run.run(until: .seconds(60))
        // 6.5-7.2 s measured (90% of the ceiling is 6.7 s); it took 8.3-9.4 s while each channel's pages were also
        // spread over its bucket's window after the hidden limit was learned (1.7 s apart, retries too).
        let finished = run.finishedAt ?? .seconds(60)
        #expect(finished <= .milliseconds(7_300), "finished after \(finished); \(run.limitNotes)")
        // The hidden limit's discovery, and one more where a late burst meets it: the benchmark's run sends about
        // 100 more requests on other routes, so 2 stay within 1 per 100.
        #expect(run.server.hiddenLimited <= (jitterMilliseconds >= 50 ? 3 : 2), "\(run.limitNotes)")
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
