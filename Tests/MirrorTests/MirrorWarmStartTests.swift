import Foundation
import Mirror
import Testing

/// The first write of a rerun on a bucket a killed run spent waits until the recorded writes leave room.
@Suite("Mirror warm start")
struct MirrorWarmStartTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func roomLeftMeansNoWait() {
        let start = MirrorWarmStart(limit: .webhookExecute)
        let recorded = (0..<58).map { now.addingTimeInterval(-Double($0) * 0.1) }
        #expect(start.earliestSend(recorded: recorded, now: now) == now)
    }

    @Test func spentBucketWaitsForItsOldestWritesToLeaveTheWindow() {
        let start = MirrorWarmStart(limit: .webhookExecute, unrecorded: 1, slack: 1.5)
        // 60 writes recorded over the last 4 s (oldest first), plus one that may have gone unrecorded.
        let recorded = (0..<60).map { now.addingTimeInterval(-4 + Double($0) * 0.05) }
        let earliest = start.earliestSend(recorded: recorded, now: now)
        // 61 used of 60: the two oldest must leave; the second oldest was at -3.95 s.
        #expect(abs(earliest.timeIntervalSince(now) - (-3.95 + 61.5)) < 0.001)
    }

    @Test func writesOlderThanTheWindowDoNotCount() {
        let start = MirrorWarmStart(limit: .channelCreate, unrecorded: 0)
        let recorded = (0..<20).map { now.addingTimeInterval(-70 - Double($0)) }
        #expect(start.earliestSend(recorded: recorded, now: now) == now)
    }

    @Test func intentsCountWithoutAnUnrecordedMargin() {
        let start = MirrorWarmStart(limit: .channelCreate, unrecorded: 0, slack: 0)
        let recorded = (0..<10).map { now.addingTimeInterval(-30 + Double($0)) }
        #expect(start.earliestSend(recorded: recorded, now: now) == now.addingTimeInterval(30))
    }
}
