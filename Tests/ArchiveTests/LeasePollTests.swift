import Testing

@testable import Archive

/// How often a worker looks again at a lease another worker holds.
@Suite struct LeasePollTests {
    /// The first look comes after 25 ms, each next one waits twice as long, up to a tenth of a second.
    @Test func waitsDoubleUpToTheCap() {
        var poll = LeasePoll(ttl: .seconds(30))
        let delays = (0..<5).map { _ in poll.delay() }
        #expect(
            delays == [
                .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(100), .milliseconds(100),
            ])
        poll.reset()
        #expect(poll.delay() == .milliseconds(25))
    }

    /// A short lease caps the wait at a third of its time to live.
    @Test func aShortLeaseCapsTheWait() {
        var poll = LeasePoll(ttl: .milliseconds(150))
        #expect(poll.cap == .milliseconds(50))
        #expect(
            (0..<4).map { _ in poll.delay() } == [
                .milliseconds(25), .milliseconds(50), .milliseconds(50), .milliseconds(50),
            ])
    }
}
