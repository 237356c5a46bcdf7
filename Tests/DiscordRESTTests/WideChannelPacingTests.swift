import Testing

@testable import DiscordREST

/// Many channels on Discord's default message bucket (5 per 5 s each), one caller per channel, in virtual time: the
/// benchmark's wide scenario (40 channels of 50 pages, 40 ms latency, the global limit of 50 per second). The
/// channels' windows together ask for 40 per second, so the global limit binds whenever many windows open at once.
@Suite struct WideChannelPacingTests {
    static func wideRun(lateness: Int, openWindowsFirst: Bool = true) -> VirtualRun {
        var server = VirtualDiscord()
        server.bucketLimit = 5
        server.announcedLimit = 5
        server.bucketWindow = .seconds(5)
        server.hiddenLimit = nil
        server.globalLimit = 50
        var run = VirtualRun(server: server, majors: (0..<40).map { "channel:\($0)" })
        var configuration = RateLimitStateMachine.Configuration()
        configuration.openWindowsFirst = openWindowsFirst
        run.machine = RateLimitStateMachine(configuration: configuration)
        run.latency = .milliseconds(40)
        run.decidedAt = 1
        run.thinkTime = .milliseconds(5)
        run.pages = Array(repeating: 50, count: 40)
        run.callerOrderSeed = 0x5EED
        run.sendJitter = { n in .microseconds(Int((UInt64(n) &* 2_654_435_761) % 1000) * lateness) }
        run.wakeLateness = { at in .microseconds(Int((UInt64(at / .microseconds(1)) &* 40_503) % 1000) * lateness) }
        return run
    }

    @Test(arguments: [0, 20, 60], [false, true])
    func everyChannelTakesTenWindows(lateness: Int, openWindowsFirst: Bool) {
        var run = Self.wideRun(lateness: lateness, openWindowsFirst: openWindowsFirst)
        run.run(until: .seconds(120))
        let finished = run.finishedAt ?? .seconds(120)
        let windows = run.server.windowsOpened.values
        print(
            "lateness \(lateness) first \(openWindowsFirst): finished \(finished), windows \(Array(windows.sorted().reversed().prefix(8))) "
                + "global429 \(run.server.globalLimited) user429 \(run.server.userLimited)")
        #expect(run.counts(from: .zero).invalid == 0)
        #expect(windows.allSatisfy { $0 == 10 }, "windows per channel \(windows.sorted())")
    }
}
