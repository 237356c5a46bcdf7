import ArchiveStore
import DiscordModels
import Testing

@testable import Archive

@Suite struct SegmentPlannerTests {
    let channel: Snowflake<Channel> = Snowflake(1 << 40)

    @Test func aSingleTailWhenNotSplitting() {
        let plan = SegmentPlanner.plan(
            channel: channel, existing: [], floor: Snowflake(0), lastMessageId: Snowflake(1 << 50), parts: 1)
        #expect(plan == [ChannelSegment(channelId: channel, low: Snowflake(0), high: SegmentPlanner.tailHigh)])
        #expect(SegmentPlanner.startCursor(of: plan[0]) == Snowflake(0))
    }

    @Test func splitRangesCoverEverythingWithoutGapsOrOverlap() {
        let last = Snowflake<Message>((1 << 50) + 12345)
        let plan = SegmentPlanner.plan(
            channel: channel, existing: [], floor: Snowflake(0), lastMessageId: last, parts: 4)
        #expect(plan.count == 4)
        #expect(plan.first?.low == Snowflake(0))
        #expect(plan.last?.high == SegmentPlanner.tailHigh)  // the last range is the open-ended tail
        for (lower, upper) in zip(plan, plan.dropFirst()) { #expect(lower.high == upper.low) }
        #expect(plan[3].low < last)
    }

    /// Workers: bounded ranges up to the last message, then a tail of its own above it.
    @Test func aSeparateTailStartsAboveTheLastMessage() {
        let last = Snowflake<Message>((1 << 50) + 12345)
        let plan = SegmentPlanner.plan(
            channel: channel, existing: [], floor: Snowflake(0), lastMessageId: last, parts: 4, separateTail: true)
        #expect(plan.count == 5)
        #expect(plan.first?.low == Snowflake(0))
        for (lower, upper) in zip(plan, plan.dropFirst()) { #expect(lower.high == upper.low) }
        #expect(plan[3].high == Snowflake(last.rawValue + 1))
        #expect(plan[4] == ChannelSegment(channelId: channel, low: plan[3].high, high: SegmentPlanner.tailHigh))
        #expect(SegmentPlanner.startCursor(of: plan[4]) == last)
    }

    @Test func resumesStoredSegmentsAndCoversAnEarlierFloor() {
        let stored = [
            ChannelSegment(channelId: channel, low: Snowflake(500), high: Snowflake(900), cursor: Snowflake(700)),
            ChannelSegment(
                channelId: channel, low: Snowflake(900), high: SegmentPlanner.tailHigh, cursor: Snowflake(950)),
        ]
        let plan = SegmentPlanner.plan(
            channel: channel, existing: stored, floor: Snowflake(0), lastMessageId: nil, parts: 8)
        #expect(plan.count == 3)
        #expect(plan[0] == ChannelSegment(channelId: channel, low: Snowflake(0), high: Snowflake(500)))
        #expect(SegmentPlanner.startCursor(of: plan[1]) == Snowflake(700))
    }

    @Test func afterCursorIsExclusive() {
        let segment = ChannelSegment(channelId: channel, low: Snowflake(101), high: SegmentPlanner.tailHigh)
        #expect(SegmentPlanner.startCursor(of: segment) == Snowflake(100))
    }

    @Test func aSmallChannelIsNeverSplitIntoMoreRangesThanItHasPages() {
        // 300 messages evenly spread: the first page of 100 spans 99 gaps, 200 more follow: 3 pages, 3 ranges.
        let ids = (0..<300).map { Snowflake<Message>(1_000_000 + UInt64($0) * 1000) }
        let first = Array(ids.prefix(100))
        #expect(
            SegmentPlanner.rangeCount(firstPage: first, pageLimit: 100, lastMessageId: ids.last!, parts: 8) == 3)
        // A page shorter than the limit is the whole channel.
        #expect(
            SegmentPlanner.rangeCount(
                firstPage: Array(ids.prefix(40)), pageLimit: 100, lastMessageId: ids[39], parts: 8) == 1)
        // A deep channel gets every range asked for.
        #expect(
            SegmentPlanner.rangeCount(
                firstPage: first, pageLimit: 100, lastMessageId: Snowflake(1_000_000 + 20_000 * 1000), parts: 8)
                == 8)
    }
}
