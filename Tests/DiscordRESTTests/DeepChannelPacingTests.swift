import Testing

@testable import DiscordREST

/// A deep channel split into ranges, in virtual time: the ranges share the channel's one bucket (20 per second,
/// the benchmark's deep scenario), the server counts a request when it arrives (the simulator sleeps its latency
/// first and answers at once), and each range stores its page before it asks for the next. The reactive bound:
/// a client that sends only once it has seen the reset gets one window of requests per window plus one latency.
@Suite struct DeepChannelPacingTests {
    static func deepRun(ranges: Int, latency: Duration, thinkTime: Duration) -> VirtualRun {
        var server = VirtualDiscord()
        server.bucketLimit = 20
        server.announcedLimit = 20
        server.bucketWindow = .seconds(1)
        server.hiddenLimit = nil
        var run = VirtualRun(server: server, majors: Array(repeating: "channel:1", count: ranges))
        run.latency = latency
        run.decidedAt = 1
        run.thinkTime = thinkTime
        return run
    }

    @Test(arguments: [8, 9, 20], [0, 30, 60])
    func rangesOfADeepChannelKeepItsBucketFull(ranges: Int, thinkMilliseconds: Int) {
        var run = Self.deepRun(ranges: ranges, latency: .milliseconds(250), thinkTime: .milliseconds(thinkMilliseconds))
        run.run(until: .seconds(60))
        let reactive = 60.0 * 20 / 1.25
        #expect(run.counts(from: .zero).invalid == 0)
        #expect(Double(run.server.admitted) >= 0.95 * reactive, "admitted \(run.server.admitted) of \(reactive)")
    }

    /// On a loaded machine storing a page takes longer: a range that must send two or three requests per window
    /// (8 ranges) misses the window's end, one that sends one per window (20: a window's worth, the number the
    /// engine's range planner picks for this bucket, see SegmentPlanner.rangesToFill) keeps the bucket full.
    @Test(arguments: [300, 600])
    func aWindowsWorthOfRangesKeepsTheBucketFullOnASlowMachine(thinkMilliseconds: Int) {
        let reactive = 60.0 * 20 / 1.25
        var full = Self.deepRun(ranges: 20, latency: .milliseconds(250), thinkTime: .milliseconds(thinkMilliseconds))
        full.run(until: .seconds(60))
        #expect(full.counts(from: .zero).invalid == 0)
        #expect(Double(full.server.admitted) >= 0.95 * reactive, "admitted \(full.server.admitted) of \(reactive)")
        var few = Self.deepRun(ranges: 8, latency: .milliseconds(250), thinkTime: .milliseconds(thinkMilliseconds))
        few.run(until: .seconds(60))
        #expect(Double(few.server.admitted) < 0.95 * reactive, "8 ranges admitted \(few.server.admitted)")
    }

    @Test(arguments: [(8, 300), (20, 300), (20, 700)])
    func slowAnswersDoNotDelayTheReset(ranges: Int, spreadMilliseconds: Int) {
        // A busy client (or a large body) takes its time over the answers of a burst: `Reset-After` was reckoned
        // when the server counted each request, so the later an answer is read, the later the reset it implies.
        // The earliest is the closest to the server's; waiting for the latest left the bucket idle that long, and
        // an answer read 700 ms late passed for one of the next window (a reset more than half a window later).
        // (8 ranges cannot keep up with answers read 700 ms late: each range then waits for its own.)
        var run = Self.deepRun(ranges: ranges, latency: .milliseconds(250), thinkTime: .milliseconds(30))
        let steps = 8
        run.answerDelay = { .milliseconds(spreadMilliseconds * ($0 % steps) / (steps - 1)) }
        run.run(until: .seconds(60))
        #expect(run.counts(from: .zero).invalid == 0)
        // Each window of 20 then waits for one latency and the answer read first: 20 per 1.25 s at best.
        let reactive = 60.0 * 20 / 1.25
        #expect(Double(run.server.admitted) >= 0.95 * reactive, "admitted \(run.server.admitted) of \(reactive)")
    }
}
