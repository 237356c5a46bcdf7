import ArchiveStore
import DiscordModels
import Testing

/// ``IDRangeRead`` on its own: the column ranges it reads, in which order, and how the limit is shared between them.
@Suite struct IDRangeReadTests {
    private let twoTo63 = UInt64(1) << 63

    @Test func aRangeAcross2To63IsReadBelowThenAboveAscendingAndAboveThenBelowDescending() {
        let ids: ClosedRange<Snowflake<Message>> = Snowflake(twoTo63 - 5)...Snowflake(twoTo63 + 5)
        #expect(IDRangeRead(ids).ranges == [Int64.max - 4...Int64.max, Int64.min...Int64.min + 5])
        #expect(IDRangeRead(ids, order: .descending).ranges == [Int64.min...Int64.min + 5, Int64.max - 4...Int64.max])
        #expect(IDRangeRead(Snowflake<Message>(1)...Snowflake(9)).ranges == [1...9])
        #expect(IDRangeRead(Optional<ClosedRange<Snowflake<Message>>>.none).ranges.isEmpty)
        #expect(IDRangeRead(twoTo63...UInt64.max).ranges == [Int64.min...(-1)])
    }

    @Test func theLimitTakesFromTheFirstRangeThenWhatIsLeftOfTheNext() {
        let read = IDRangeRead(Snowflake<Message>(twoTo63 - 5)...Snowflake(twoTo63 + 5), limit: 4)
        var asked: [Int] = []
        let rows = read.rows { range, wanted in
            asked.append(wanted)
            return Array(range.prefix(min(wanted, 3)))
        }
        #expect(asked == [4, 1])
        #expect(rows == [Int64.max - 4, Int64.max - 3, Int64.max - 2, Int64.min])
        var asks = 0
        let full = IDRangeRead(Snowflake<Message>(twoTo63 - 5)...Snowflake(twoTo63 + 5), limit: 2).rows {
            range, wanted in
            asks += 1
            return Array(range.prefix(wanted))
        }
        #expect(full.count == 2 && asks == 1)
        let unlimited = IDRangeRead(twoTo63 - 2...twoTo63 + 1).rows { range, wanted in
            #expect(wanted > Int.max - 4)  // no limit: every row of each range
            return Array(range)
        }
        #expect(unlimited == [Int64.max - 1, Int64.max, Int64.min, Int64.min + 1])
    }

    @Test func theAsynchronousReadFollowsTheSameOrderAndLimit() async {
        let read = IDRangeRead(Snowflake<Message>(twoTo63 - 2)...Snowflake(twoTo63 + 1), order: .descending, limit: 3)
        let rows = await read.asyncRows { range, wanted in
            await Task.yield()
            return Array(range.reversed().prefix(wanted))
        }
        #expect(rows == [Int64.min + 1, Int64.min, Int64.max])
    }
}
