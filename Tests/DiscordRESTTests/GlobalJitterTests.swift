import Testing

@testable import DiscordREST

/// The global window in virtual time: Discord's global window opens when a request arrives, so a window-opening
/// request that arrived late lets a later one sent on time fall into the same window, 51 in one second although the
/// client sent them over more than a second. A send holds its slot until a window after its answer, which no lateness
/// defeats; the window also learns how late requests reach Discord.
@Suite struct GlobalJitterTests {
    /// 20 channels with roomy buckets (20 per second), two callers each, 40 ms latency: only the global limit of 50
    /// per second binds. Requests reach the server up to `lateMilliseconds` after they were granted (a loaded
    /// machine: 50-100 ms to an in-process server).
    static func globalBoundRun(lateMilliseconds: Int, margin: Duration) -> VirtualRun {
        var server = VirtualDiscord()
        server.bucketLimit = 20
        server.announcedLimit = 20
        server.bucketWindow = .seconds(1)
        server.hiddenLimit = nil
        server.globalLimit = 50
        var configuration = RateLimitStateMachine.Configuration()
        configuration.globalWindowMaximumMargin = margin
        var run = VirtualRun(server: server, majors: (0..<40).map { "channel:\($0 / 2)" })
        run.machine = RateLimitStateMachine(configuration: configuration)
        run.latency = .milliseconds(40)
        run.decidedAt = 1
        run.sendJitter = { n in .microseconds(Int((UInt64(n) &* 2_654_435_761) % 1000) * lateMilliseconds) }
        return run
    }

    /// A send holds its global slot until Discord's window after its answer, so however late requests reach the
    /// server (300 ms: twice the most the learned margin may add), no window counts more than 50, without a margin;
    /// with the learned one, the same. The limit is still spent: 50 per second and round trip, within a tenth.
    @Test(arguments: [50, 100, 300])
    func lateRequestsNeverDrawGlobal429s(lateMilliseconds: Int) {
        // Lateness averages half its most; a slot frees a second after the answer at the latest.
        let cycle = 1.04 + Double(lateMilliseconds) / 2000
        let spent = Int(60 * 50 / cycle * 0.9)
        var fixed = Self.globalBoundRun(lateMilliseconds: lateMilliseconds, margin: .zero)
        fixed.run(until: .seconds(60))
        #expect(fixed.server.globalLimited == 0, "\(fixed.server.globalLimited) global 429s with no margin")
        #expect(fixed.server.admitted >= spent, "admitted \(fixed.server.admitted) in 60 s")

        var learned = Self.globalBoundRun(lateMilliseconds: lateMilliseconds, margin: .milliseconds(150))
        learned.run(until: .seconds(60))
        #expect(learned.server.globalLimited == 0, "\(learned.server.globalLimited) global 429s")
        #expect(learned.server.admitted >= spent, "admitted \(learned.server.admitted) in 60 s")
        let window = learned.machine.globalWindowLength(now: learned.now)
        #expect(window > .milliseconds(1020) && window <= .milliseconds(1170), "window \(window)")
    }

    @Test func aGlobal429WidensTheWindowByItsLatenessThenDecays() {
        var jitter = GlobalJitter(maximum: .milliseconds(150))
        #expect(jitter.margin(now: .zero) == .zero)
        // A global 429 the window let through, 60 ms before the server's window ended: send 60 ms later.
        jitter.recordGlobalLimited(retryAfter: .milliseconds(60), now: .seconds(10))
        #expect(jitter.margin(now: .seconds(10)) == .milliseconds(60))
        // Another one adds to it, up to the bound.
        jitter.recordGlobalLimited(retryAfter: .milliseconds(120), now: .seconds(10))
        #expect(jitter.margin(now: .seconds(10)) == .milliseconds(150))
        // It decays back slowly: 2 ms per second.
        #expect(jitter.margin(now: .seconds(35)) == .milliseconds(100))
        #expect(jitter.margin(now: .seconds(100)) == .zero)
        // Round trips longer than the shortest on their route widen it too; one outlier does not.
        for _ in 0..<10 { jitter.recordRoundTrip(.milliseconds(40), route: "GET /a") }
        jitter.recordRoundTrip(.milliseconds(900), route: "GET /a")
        #expect(jitter.margin(now: .seconds(100)) == .zero)
        jitter.recordRoundTrip(.milliseconds(70), route: "GET /a")
        #expect(jitter.margin(now: .seconds(100)) == .milliseconds(30))
    }
}
