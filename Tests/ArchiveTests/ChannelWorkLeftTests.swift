import DiscordModels
import Testing

@testable import Archive

/// A channel's estimate of the pages it has left (``ChannelWorkLeft``): what its requests tell the limiter.
@Suite struct ChannelWorkLeftTests {
    @Test func theRestIsTheIdSpanLeftAtTheDensitySeen() {
        // 101 messages one id apart fetched from 1,000 to 1,100: 900 ids to go are 900 messages, 9 pages of 100.
        let left = ChannelWorkLeft.pagesLeft(
            firstId: Snowflake(1_000), cursor: Snowflake(1_100), fetched: 101, end: Snowflake(2_000), pageLimit: 100)
        #expect(left == 9)
        // Sparser (a message every 10 ids): 90 messages, one page.
        let sparse = ChannelWorkLeft.pagesLeft(
            firstId: Snowflake(1_000), cursor: Snowflake(2_000), fetched: 101, end: Snowflake(2_900), pageLimit: 100)
        #expect(sparse == 1)
        // Nothing to judge by, or nothing left.
        #expect(
            ChannelWorkLeft.pagesLeft(
                firstId: nil, cursor: Snowflake(1), fetched: 0, end: Snowflake(9), pageLimit: 100) == nil)
        #expect(
            ChannelWorkLeft.pagesLeft(
                firstId: Snowflake(1), cursor: Snowflake(9), fetched: 5, end: Snowflake(9), pageLimit: 100) == 0)
    }

    @Test func aChannelsRestIsItsRangesSumOnceEachHasOne() {
        let estimate = ChannelWorkLeft(ranges: [Snowflake(0), Snowflake(5_000)])
        #expect(estimate.total == nil)
        estimate.update(
            range: Snowflake(0), firstId: Snowflake(0), cursor: Snowflake(100), fetched: 101, end: Snowflake(1_000),
            pageLimit: 100, done: false)
        #expect(estimate.total == nil)  // the second range has fetched nothing yet
        estimate.update(
            range: Snowflake(5_000), firstId: Snowflake(5_000), cursor: Snowflake(5_100), fetched: 101,
            end: Snowflake(5_500), pageLimit: 100, done: false)
        #expect(estimate.total == 9 + 4)
        estimate.update(
            range: Snowflake(5_000), firstId: nil, cursor: Snowflake(5_500), fetched: 0, end: nil, pageLimit: 100,
            done: true)
        #expect(estimate.total == 9)
    }

    @Test func aChannelIsDoneOnceEveryRangeIs() {
        let estimate = ChannelWorkLeft(ranges: [Snowflake(0), Snowflake(5_000)])
        #expect(!estimate.everyRangeDone)
        estimate.update(
            range: Snowflake(5_000), firstId: nil, cursor: Snowflake(5_500), fetched: 0, end: nil, pageLimit: 100,
            done: true)
        // The first range has fetched nothing yet (no estimate): it may still have everything left.
        #expect(!estimate.everyRangeDone)
        estimate.update(
            range: Snowflake(0), firstId: Snowflake(0), cursor: Snowflake(100), fetched: 101, end: Snowflake(1_000),
            pageLimit: 100, done: false)
        #expect(!estimate.everyRangeDone)
        estimate.update(
            range: Snowflake(0), firstId: Snowflake(0), cursor: Snowflake(999), fetched: 1_000, end: Snowflake(1_000),
            pageLimit: 100, done: true)
        #expect(estimate.everyRangeDone)
    }
}
