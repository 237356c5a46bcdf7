import Testing

@testable import DiscordREST

/// Observation over headers, in virtual time (``VirtualRun`` drives the pure machine against ``VirtualDiscord``).
@Suite struct RateLimitLearningTests {
    static func majors(channels: Int, callersEach: Int) -> [String] {
        (0..<channels).flatMap { channel in Array(repeating: "channel:\(channel)", count: callersEach) }
    }

    @Test func lyingHeadersAndAHiddenLimitOf20PerSecond() {
        // 40 channels, 2 callers each: the buckets (5 per 5 s, announced as 10) would allow 40/s, the hidden
        // per-token limit allows 20/s.
        var run = VirtualRun(server: VirtualDiscord(), majors: Self.majors(channels: 40, callersEach: 2))
        run.run(until: .seconds(120))
        let route = RouteKey(method: "GET", template: run.template, major: "channel:0")
        #expect(!run.machine.headersTrusted(for: route))
        #expect(run.machine.observedLimit(for: route).map { (5...6).contains($0) } == true)
        #expect(run.machine.routeLimit(for: route).map { (19...21).contains($0) } == true)
        let total = run.counts(from: .zero)
        let steady = run.counts(from: .seconds(1))
        #expect(steady.invalid * 100 <= steady.requests, "\(steady.invalid) invalid of \(steady.requests)")
        // First contact costs one 429 per limit, not one per request in flight; the rest are rare failed probes.
        #expect(total.invalid * 100 <= total.requests, "\(total.invalid) invalid of \(total.requests)")
        // Ceiling: 20 per second for 120 s; about 87% of it (2,094 measured: the route holds still for a window
        // after the first lie, so as not to probe into the hidden limit as well; it grows by one admitted probe at
        // a time, counted by send instant; 2,148 when answer arrivals were counted, which overstated the limit).
        #expect(run.server.admitted >= 2_080, "admitted \(run.server.admitted) of the 2,400 the hidden limit allows")
    }

    @Test func headersThatNameNoBucketAreTheRoutesOwnBucket() {
        // Every header is optional (reference §2): honest windows of 5 per 5 s per channel, counted by `Remaining`
        // and `Reset-After` but with no `X-RateLimit-Bucket`. Before, such a route was taken for an unlimited one:
        // its requests overran every window (a docs-only fake: 5 429s, then one request per second across all
        // channels, 79 s instead of 11).
        var server = VirtualDiscord()
        server.namesBucket = false
        server.announcedLimit = 5
        server.hiddenLimit = nil
        var run = VirtualRun(server: server, majors: Self.majors(channels: 10, callersEach: 2))
        run.run(until: .seconds(30))
        let total = run.counts(from: .zero)
        #expect(total.invalid == 0, "\(total.invalid) invalid of \(total.requests)")
        // 10 channels at 5 per 5 s for 30 s is 300.
        #expect(run.server.admitted >= 280, "admitted \(run.server.admitted) of 300")
    }

    @Test func lyingHeadersOnlyRunOnTheObservedLimit() {
        // 10 channels × 4 ranges: the buckets enforce 5 per 5 s (10/s in all), below the hidden limit.
        var run = VirtualRun(server: VirtualDiscord(), majors: Self.majors(channels: 10, callersEach: 4))
        run.run(until: .seconds(100))
        let route = RouteKey(method: "GET", template: run.template, major: "channel:0")
        #expect(run.machine.observedLimit(for: route).map { (5...6).contains($0) } == true)
        let total = run.counts(from: .zero)
        #expect(total.invalid * 100 <= total.requests, "\(total.invalid) invalid of \(total.requests)")
        // 864 measured: after the lie the route grows only on what one server window was proven to admit (it took
        // 900+ while a client window of 1.1 s could count the ends of two server windows as one, which also proved
        // 25 against a hidden 20); at 10 per window on average, bursty, some windows wait for the next.
        #expect(run.server.admitted >= 850, "admitted \(run.server.admitted) of 1,000")
    }

    @Test func lateAnswersDoNotRestartTheWindowCount() {
        // Acceptance 13's shape: a few ranges per channel, lying headers. Every third answer arrives 300 ms late,
        // so reset instants computed from answers of one window differ by more than a fixed jitter tolerance, and
        // answers arrive out of order: they must still count as one window (or the limit is learned too low after
        // a count that restarted), and the first 429 teaches the server's count, not the requests in flight.
        var run = VirtualRun(server: VirtualDiscord(), majors: Self.majors(channels: 8, callersEach: 3))
        run.answerDelay = { $0 % 3 == 0 ? .milliseconds(300) : .zero }
        run.run(until: .seconds(30))
        let route = RouteKey(method: "GET", template: run.template, major: "channel:0")
        #expect(run.machine.observedLimit(for: route) == 5)
        let total = run.counts(from: .zero)
        #expect(total.invalid == 1, "\(total.invalid) invalid of \(total.requests)")
        // 8 channels at 5 per 5 s for 30 s is 240 (204 measured: after the lie the route grows by one probe per
        // window, each proven by its own answer in one server window).
        #expect(run.server.admitted >= 200, "admitted \(run.server.admitted) of 240")
    }

    @Test(arguments: [1, 2, 3, 4], [0, 2, 3, 5, 7])
    func startUpCostsOne429NotOnePerLimit(rangesPerChannel: Int, delayEvery: Int) {
        // Acceptance 13 at start-up: 12 channels whose buckets lie (5 per 5 s announced as 10) and a hidden limit
        // of 20/s. Discovering the bucket's lie costs one 429; the route must then not probe its way into the
        // hidden limit within the same second (at most one probe per window once the headers are untrusted).
        // Every `delayEvery`-th answer arrives 200 ms late (a busy client), which reorders answers.
        var run = VirtualRun(
            server: VirtualDiscord(), majors: Self.majors(channels: 12, callersEach: rangesPerChannel))
        if delayEvery > 0 { run.answerDelay = { $0 % delayEvery == 0 ? .milliseconds(200) : .zero } }
        run.run(until: .seconds(20))
        let total = run.counts(from: .zero)
        #expect(total.invalid == 1, "\(total.invalid) invalid of \(total.requests)")
        // 12 channels at 5 per 5 s for 20 s is 240.
        #expect(run.server.admitted >= 160, "admitted \(run.server.admitted) of 240")
    }

    @Test(arguments: [1, 2], [0, 2, 3, 5, 7])
    func discoveringTheHiddenLimitCostsOne429(rangesPerChannel: Int, delayEvery: Int) {
        // Acceptance 13 once the buckets are known: 40 channels whose (honest) buckets together allow 40/s, and a
        // hidden fixed-window limit of 20/s across them. Every `delayEvery`-th answer arrives 300 ms late, so the
        // answers of one server window arrive in two client windows and those of two bunch into one: counted by
        // arrival they made the route look allowed more than 20, and the discovery cost two 429s (two requests
        // beyond the real limit out at once). Counted by send instant, it costs one.
        var server = VirtualDiscord()
        server.announcedLimit = server.bucketLimit
        var run = VirtualRun(server: server, majors: Self.majors(channels: 40, callersEach: rangesPerChannel))
        if delayEvery > 0 { run.answerDelay = { $0 % delayEvery == 0 ? .milliseconds(300) : .zero } }
        run.run(until: .seconds(30))
        let route = RouteKey(method: "GET", template: run.template, major: "channel:0")
        #expect(run.machine.routeLimit(for: route).map { (18...21).contains($0) } == true)
        let total = run.counts(from: .zero)
        #expect(total.invalid * 100 <= total.requests, "\(total.invalid) invalid of \(total.requests)")
        // The discovery: one 429, and none in the windows around it. With every third answer late, the request
        // that fills the window and a probe can still be out at once (the probe's window looked full, the server
        // had split it over two of its windows): two, never one per request in flight.
        let first = run.limitedPermits.first?.at ?? .zero
        let discovery = run.limitedPermits.filter { $0.at < first + .seconds(3) }
        #expect(
            discovery.count <= (delayEvery == 3 ? 2 : 1),
            "\(discovery.map { ($0.at, $0.permit.sentAt, $0.permit.isRouteProbe, $0.retryAfter ?? 0) })")
        // Honest buckets: every 429 was the hidden limit's.
        #expect(run.server.hiddenLimited == run.server.userLimited)
        // 20 per second for 30 s is 600 (496 measured with every other answer 300 ms late).
        #expect(run.server.admitted >= 480, "admitted \(run.server.admitted) of 600")
    }

    @Test func aRealLimitThatChangesMidRun() {
        var server = VirtualDiscord()
        server.hiddenLimit = nil
        var run = VirtualRun(server: server, majors: Self.majors(channels: 8, callersEach: 2))
        let route = RouteKey(method: "GET", template: run.template, major: "channel:0")
        run.onTick = { now, server in
            if now >= .seconds(40) && now < .seconds(80) { server.bucketLimit = 3 }
            if now >= .seconds(80) { server.bucketLimit = 6 }
        }
        run.run(until: .seconds(80))
        #expect(run.machine.observedLimit(for: route) == 3)
        let lowered = run.counts(from: .zero)
        #expect(lowered.invalid * 100 <= lowered.requests, "\(lowered.invalid) invalid of \(lowered.requests)")
        let before = run.server.admitted
        run.run(until: .seconds(400))
        // Additive increase, one request per window at most and rarer after each failed probe: slowly upward.
        #expect(run.machine.observedLimit(for: route).map { $0 > 3 } == true)
        let raised = run.counts(from: .seconds(80))
        #expect(raised.invalid * 100 <= raised.requests, "\(raised.invalid) invalid of \(raised.requests)")
        #expect(run.server.admitted - before >= 1_700, "8 channels at 3 per 5 s for 320 s is 1,536")
    }

    @Test func sharedRateLimitsNeitherCountNorTeach() {
        var server = VirtualDiscord()
        server.announcedLimit = 5  // honest headers
        server.hiddenLimit = nil
        server.sharedEvery = 7
        var run = VirtualRun(server: server, majors: Self.majors(channels: 6, callersEach: 2))
        run.run(until: .seconds(60))
        let route = RouteKey(method: "GET", template: run.template, major: "channel:0")
        #expect(run.machine.headersTrusted(for: route))
        #expect(run.machine.observedLimit(for: route) == nil)
        #expect(run.machine.routeLimit(for: route) == nil)
        #expect(run.server.sharedLimited > 0)
        #expect(run.counts(from: .zero).invalid == 0)
        #expect(run.machine.invalidRequestCount(now: run.now) == 0)
    }
}
