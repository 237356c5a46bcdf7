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

    /// Ranges sized to the channel's bucket: one request in flight per range, each given four round trips.
    @Test func rangesKeepTheBucketFull() {
        // The deep scenario (20 per 1 s, 250 ms): a window is only four round trips long, so each range sends one
        // request per window and the window takes 20 ranges.
        #expect(SegmentPlanner.rangesToFill(ceiling: 20, window: .seconds(1), roundTrip: .milliseconds(250)) == 20)
        // A slow machine (answers read late) changes nothing: still one request per range per window.
        #expect(SegmentPlanner.rangesToFill(ceiling: 20, window: .seconds(1), roundTrip: .milliseconds(900)) == 20)
        // A short round trip: each range fits five requests (one per 200 ms) into the window.
        #expect(SegmentPlanner.rangesToFill(ceiling: 20, window: .seconds(1), roundTrip: .milliseconds(50)) == 4)
        // Discord's default message bucket (5 per 5 s) at 40 ms: one range fills it.
        #expect(SegmentPlanner.rangesToFill(ceiling: 5, window: .seconds(5), roundTrip: .milliseconds(40)) == 1)
        // A bucket of one request, or an instant answer: one range.
        #expect(SegmentPlanner.rangesToFill(ceiling: 1, window: .seconds(1), roundTrip: .milliseconds(250)) == 1)
        #expect(SegmentPlanner.rangesToFill(ceiling: 20, window: .seconds(1), roundTrip: .zero) == 1)
    }

    /// One rule plans a new channel for the single process and for workers: each token gets the ranges that keep
    /// its bucket full (a few without a known bucket), at most the engine's budget, and the channel never gets more
    /// ranges than it has pages.
    @Test func aNewChannelIsPlannedForEveryTokensBucket() {
        // 20,000 messages, one per 1,000 snowflake units: the first page of 100 spans 99,000; 200 pages in all.
        let first = (0..<100).map { Snowflake<Message>(1_000_000 + UInt64($0) * 1000) }
        let last = Snowflake<Message>(1_000_000 + 19_999 * 1000)
        let deep = SegmentPlanner.Bucket(ceiling: 20, window: .seconds(1), roundTrip: .milliseconds(250))
        let plan = { (parts: Int, bucket: SegmentPlanner.Bucket?, tokens: Int) in
            SegmentPlanner.newChannelRanges(
                firstPage: first, pageLimit: 100, lastMessageId: last, parts: parts, bucket: bucket, tokens: tokens)
        }
        // The single process on the deep bucket: 20 ranges. Two workers (two tokens, two buckets) would fill both
        // with 40 of 5 pages (240 requests: a sixth to learn each range's end), but 34 of 5.9 pages cost 204, and
        // 17 ranges still fill a window of 20 (three of them send twice).
        #expect(plan(32, deep, 1) == (20, 20))
        #expect(plan(32, deep, 2) == (34, 17))
        // The engine's budget for one channel caps each token's share (16 ranges of 12.5 pages: 208 requests, as
        // few as 13 ranges would make).
        #expect(plan(8, deep, 2) == (16, 8))
        // No known bucket (no rate limits), or a first page the limiter held back: a few per token.
        #expect(plan(32, nil, 2) == (16, 8))
        let heldBack = SegmentPlanner.Bucket(ceiling: 20, window: .seconds(1), roundTrip: nil)
        #expect(plan(32, heldBack, 1) == (8, 8))
        // Discord's default message bucket (5 per 5 s) at 40 ms: one range fills a token's bucket.
        let discord = SegmentPlanner.Bucket(ceiling: 5, window: .seconds(5), roundTrip: .milliseconds(40))
        #expect(plan(32, discord, 1) == (1, 1))
        #expect(plan(32, discord, 2) == (2, 1))
        // A channel of 300 messages is never split into more ranges than its 3 pages.
        let small = SegmentPlanner.newChannelRanges(
            firstPage: first, pageLimit: 100, lastMessageId: Snowflake(1_000_000 + 299 * 1000), parts: 32,
            bucket: deep, tokens: 2)
        #expect(small == (3, 2))
        // A worker's share of a stored plan: half of it (rounded up), at most the engine's budget.
        #expect(SegmentPlanner.rangesPerToken(planned: 40, tokens: 2, parts: 32) == 20)
        #expect(SegmentPlanner.rangesPerToken(planned: 3, tokens: 2, parts: 32) == 2)
        #expect(SegmentPlanner.rangesPerToken(planned: 40, tokens: 2, parts: 8) == 8)
        #expect(SegmentPlanner.rangesPerToken(planned: 0, tokens: 2, parts: 8) == 1)
        // The fewest requests: ranges of 2.5 pages (3 requests each) beat ranges of whole pages (a request more).
        #expect(SegmentPlanner.fewestRequests(pages: 80, among: 32...40) == 32)
        #expect(SegmentPlanner.fewestRequests(pages: 200, among: 32...40) == 34)
        #expect(SegmentPlanner.fewestRequests(pages: 200, among: 13...16) == 16)
    }

    /// A split range's rest: stored as a segment of its own, it ends the split range wherever that range's stored
    /// `high` still says otherwise (its holder has not seen the split yet, or died before it did).
    @Test func aSplitOffRangeEndsTheRangeBelowIt() {
        let ranges = [
            ChannelSegment(channelId: channel, low: Snowflake(0), high: Snowflake(1000), cursor: Snowflake(100)),
            ChannelSegment(channelId: channel, low: Snowflake(1000), high: Snowflake(2000)),
            ChannelSegment(channelId: channel, low: Snowflake(600), high: Snowflake(1000)),
            ChannelSegment(channelId: channel, low: Snowflake(2000), high: SegmentPlanner.tailHigh),
        ]
        let clamped = SegmentPlanner.clamped(ranges)
        #expect(clamped.map(\.low) == [Snowflake(0), Snowflake(600), Snowflake(1000), Snowflake(2000)])
        for (lower, upper) in zip(clamped, clamped.dropFirst()) { #expect(lower.high == upper.low) }
        #expect(clamped[0].cursor == Snowflake(100))
        // Resuming reads them the same way.
        let resumed = SegmentPlanner.plan(
            channel: channel, existing: ranges, floor: Snowflake(0), lastMessageId: Snowflake(1999), parts: 4)
        #expect(resumed == clamped)
    }

    /// A range's rest is split only when it holds enough pages that its holder, up to two pages past what it
    /// stored, never reaches the split point; the holder keeps at least the margin.
    @Test func aRangeIsSplitOnlyWhenItsRestIsLongEnough() {
        // One message per 10 snowflake units: a page of 100 spans 1,000.
        let density = 0.1
        let long = ChannelSegment(
            channelId: channel, low: Snowflake(0), high: Snowflake(20_001), cursor: Snowflake(10_000))
        let mid = SegmentPlanner.splitPoint(of: long, messagesPerId: density, pageLimit: 100)
        #expect(mid == Snowflake(15_001))  // half of the 10 pages left
        let short = ChannelSegment(
            channelId: channel, low: Snowflake(0), high: Snowflake(20_001), cursor: Snowflake(16_500))
        #expect(SegmentPlanner.splitPoint(of: short, messagesPerId: density, pageLimit: 100) == nil)
        // Four pages: the holder keeps two and a half.
        let four = ChannelSegment(
            channelId: channel, low: Snowflake(0), high: Snowflake(20_001), cursor: Snowflake(16_000))
        #expect(SegmentPlanner.splitPoint(of: four, messagesPerId: density, pageLimit: 100) == Snowflake(18_501))
        let done = ChannelSegment(channelId: channel, low: Snowflake(0), high: Snowflake(20_001), done: true)
        #expect(SegmentPlanner.splitPoint(of: done, messagesPerId: density, pageLimit: 100) == nil)
        let tail = ChannelSegment(channelId: channel, low: Snowflake(0), high: SegmentPlanner.tailHigh)
        #expect(SegmentPlanner.splitPoint(of: tail, messagesPerId: density, pageLimit: 100) == nil)
    }

    /// The tail is open to the largest id the spec allows; a tail stored before (`high` Int64.max, which left every
    /// id at or above 2^63 out) is read as the tail, and the segments come in unsigned order of `low` (a `low` at or
    /// above 2^63 is a negative column, first in the store's signed order).
    @Test func anOldTailIsReadAsTheTailAndSegmentsInUnsignedOrder() {
        #expect(SegmentPlanner.tailHigh == Snowflake(UInt64.max))
        let high = Snowflake<Message>(1 << 63 | 5)
        let stored = [
            ChannelSegment(channelId: channel, low: high, high: SegmentPlanner.legacyTailHigh, cursor: high),
            ChannelSegment(channelId: channel, low: Snowflake(0), high: high, done: true),
        ]
        let read = SegmentPlanner.stored(stored)
        #expect(read.map(\.low) == [Snowflake(0), high])
        #expect(read.last?.high == SegmentPlanner.tailHigh)
        let plan = SegmentPlanner.plan(
            channel: channel, existing: stored, floor: Snowflake(0), lastMessageId: nil, parts: 4)
        #expect(plan.filter { $0.high == SegmentPlanner.tailHigh }.count == 1)
        #expect(plan.map(\.low) == [Snowflake(0), high])
    }
}
