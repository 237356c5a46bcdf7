import Testing

@testable import DiscordREST

/// Sends timed to reach Discord as its window resets (``ResetTiming``), in virtual time: the deep channel of
/// ``DeepChannelPacingTests`` (20 ranges on one bucket of 20 per second, 250 ms of latency), with the latency split
/// in several ways between the legs, jittered, and against a server that resets later than its headers say. A reactive
/// client gets at most 20 requests per 1.25 s here; timed sends shorten each window by the round trip less a margin.
@Suite struct ResetTimingTests {
    static let route = RouteKey(method: "GET", template: "/channels/{channel_id}/messages", major: "channel:1")
    /// Requests a reactive client gets admitted in 60 s: 20 per window of 1 s plus one latency.
    static let reactive = 60.0 * 20 / 1.25

    static func deepRun(latency: Duration = .milliseconds(250), decidedAt: Double = 1) -> VirtualRun {
        var run = DeepChannelPacingTests.deepRun(ranges: 20, latency: latency, thinkTime: .milliseconds(30))
        run.decidedAt = decidedAt
        return run
    }

    /// A fixed, irregular jitter of 0 to `most` for the `n`-th request or answer.
    static func jitter(_ most: Int) -> @Sendable (Int) -> Duration {
        { n in .milliseconds((n &* 7919 &+ 13) % (most + 1)) }
    }

    // MARK: - The lead

    @Test func theLeadIsTheShortestRoundTripLessAMarginThatWidensWithTheirSpread() {
        var timing = ResetTiming()
        for _ in 0..<7 { timing.recordRoundTrip(.milliseconds(250)) }
        #expect(timing.candidateLead(window: .seconds(1)) == nil, "too few round trips")
        timing.recordRoundTrip(.milliseconds(250))
        #expect(timing.candidateLead(window: .seconds(1)) == .milliseconds(235))
        #expect(timing.lead(window: .seconds(1)) == .zero, "not proven: reactive")
        // Spread round trips: the margin grows by the spread between the low and the high percentile.
        var spread = ResetTiming()
        for index in 0..<16 { spread.recordRoundTrip(.milliseconds(250 + 4 * index)) }
        let lead = try! #require(spread.candidateLead(window: .seconds(1)))
        #expect(lead < .milliseconds(235 - 40) && lead > .milliseconds(150))
        // A lead that wins little of a long window (40 ms of 5 s) is not worth the proof's slot.
        var wide = ResetTiming()
        for _ in 0..<16 { wide.recordRoundTrip(.milliseconds(40)) }
        #expect(wide.candidateLead(window: .seconds(5)) == nil)
    }

    @Test func aProofThatLandsInTheOldWindowKeepsTheSendsReactiveAndWidensTheMargin() {
        var timing = ResetTiming()
        for _ in 0..<16 { timing.recordRoundTrip(.milliseconds(250)) }
        var wants = timing.wantsProof(now: .seconds(2), window: .seconds(1))
        #expect(wants)
        timing.proofSent(id: 7, reset: .seconds(3))
        wants = timing.wantsProof(now: .seconds(2), window: .seconds(1))
        #expect(!wants, "one proof at a time")
        timing.proofAnswered(id: 7, landedInNextWindow: false, now: .seconds(3), window: .seconds(1))
        #expect(timing.phase == .reactive)
        #expect(timing.candidateLead(window: .seconds(1)) == .milliseconds(220))
        wants = timing.wantsProof(now: .milliseconds(6_900), window: .seconds(1))
        #expect(!wants, "four windows before the next")
        wants = timing.wantsProof(now: .seconds(7), window: .seconds(1))
        #expect(wants)
        timing.proofSent(id: 9, reset: .seconds(8))
        timing.proofAnswered(id: 9, landedInNextWindow: true, now: .seconds(8), window: .seconds(1))
        #expect(timing.phase == .timed)
        #expect(timing.lead(window: .seconds(1)) == .milliseconds(220))
        // A 429 while timed: reactive again, twice the margin.
        timing.rateLimited(now: .seconds(9), window: .seconds(1))
        #expect(timing.phase == .reactive)
        #expect(timing.lead(window: .seconds(1)) == .zero)
        #expect(timing.candidateLead(window: .seconds(1)) == .milliseconds(205))
    }

    // MARK: - A deep channel in virtual time

    @Test func constantLatencyShortensEveryWindowByTheRoundTrip() {
        var run = Self.deepRun()
        run.run(until: .seconds(60))
        #expect(run.server.userLimited == 0)
        #expect(run.machine.sendLead(for: Self.route) > .milliseconds(200))
        #expect(
            Double(run.server.admitted) >= 1.15 * Self.reactive, "admitted \(run.server.admitted) of \(Self.reactive)")
    }

    @Test(arguments: [0.1, 0.5, 0.9])
    func theLegsMaySplitTheLatencyAnyWay(decidedAt: Double) {
        // The server counts a request `decidedAt` of the way: the lead depends only on the whole round trip.
        var run = Self.deepRun(decidedAt: decidedAt)
        run.run(until: .seconds(60))
        #expect(run.server.userLimited == 0)
        #expect(
            Double(run.server.admitted) >= 1.15 * Self.reactive, "admitted \(run.server.admitted) of \(Self.reactive)")
    }

    @Test(arguments: [0.1, 0.5, 1.0])
    func jitteredLegsDrawNo429(decidedAt: Double) {
        var run = Self.deepRun(decidedAt: decidedAt)
        run.sendJitter = Self.jitter(40)
        run.answerDelay = Self.jitter(40)
        run.run(until: .seconds(60))
        #expect(run.server.userLimited == 0, "\(run.limitNotes)")
        #expect(
            Double(run.server.admitted) >= 1.05 * Self.reactive, "admitted \(run.server.admitted) of \(Self.reactive)")
    }

    @Test(arguments: [100, 200])
    func aServerThatResetsLateDrawsNo429(latenessMilliseconds: Int) {
        // Discord's window goes on after the reset its headers announce: the proof lands in the old window's free
        // slot, the sends stay reactive (which the latency covers), and no request is refused.
        var run = Self.deepRun()
        run.server.resetLateness = .milliseconds(latenessMilliseconds)
        run.run(until: .seconds(60))
        #expect(run.server.userLimited == 0, "\(run.limitNotes)")
        let reactive = 60.0 * 20 / (1.25 + Double(latenessMilliseconds) / 1000)
        #expect(Double(run.server.admitted) >= 0.95 * reactive, "admitted \(run.server.admitted) of \(reactive)")
    }

    @Test func a429WhileTimedGoesBackToReactiveSends() {
        // The server starts resetting 150 ms late in the middle of the run: the first timed window draws 429s,
        // then the sends are reactive again and no further request is refused.
        var run = Self.deepRun()
        run.run(until: .seconds(20))
        #expect(run.machine.sendLead(for: Self.route) > .zero)
        run.server.resetLateness = .milliseconds(150)
        run.run(until: .seconds(23))
        #expect(run.server.userLimited > 0)
        #expect(run.machine.sendLead(for: Self.route) == .zero)
        let before = run.server.userLimited
        run.run(until: .seconds(60))
        #expect(run.server.userLimited == before, "\(run.limitNotes)")
    }

    @Test func headersThatLieAreNeverTimed() {
        // Lying headers and a hidden limit across channels (HostileLimitTests' world): the limit is learned from
        // observation, and sends on it never move before the reset.
        var server = VirtualDiscord()
        server.bucketLimit = 10
        server.announcedLimit = 20
        server.bucketWindow = .seconds(1)
        server.hiddenLimit = nil
        var run = VirtualRun(server: server, majors: Array(repeating: "channel:1", count: 20))
        run.latency = .milliseconds(250)
        run.decidedAt = 1
        run.run(until: .seconds(30))
        #expect(!run.machine.headersTrusted(for: Self.route))
        #expect(run.machine.sendLead(for: Self.route) == .zero)
    }

    @Test func aLeadSmallBesideTheWindowIsNotUsed() {
        // Discord's default message bucket (5 per 5 s) at 40 ms: a proof's slot would cost more than it wins.
        var server = VirtualDiscord()
        server.bucketLimit = 5
        server.announcedLimit = 5
        server.hiddenLimit = nil
        var run = VirtualRun(server: server, majors: Array(repeating: "channel:1", count: 5))
        run.latency = .milliseconds(40)
        run.run(until: .seconds(60))
        #expect(run.machine.sendLead(for: Self.route) == .zero)
        #expect(run.server.userLimited == 0)
    }
}
