import DiscordModels
import Foundation
import Testing

/// Dates convert exactly into snowflakes across the whole 42-bit timestamp range, and never wrap around.
@Suite struct SnowflakeBoundaryTests {
    func date(_ text: String) throws -> Date { try #require(DiscordTimestamp.parse(text)) }

    @Test func theDiscordEpochIsIdZero() throws {
        #expect(Snowflake<Message>(exactly: try date("2015-01-01T00:00:00Z"))?.rawValue == 0)
        #expect(Snowflake<Message>(exactly: try date("2014-12-31T23:59:59.999Z")) == nil)
        #expect(Snowflake<Message>(date: try date("2010-06-01T00:00:00Z")).rawValue == 0)
    }

    @Test func datesPast2084DoNotWrap() throws {
        // 2^41 ms after the epoch (2084-09-06): the id's top bit is set; it must stay larger than every earlier id.
        let before = try #require(Snowflake<Message>(exactly: try date("2083-12-31T00:00:00Z")))
        let after = try #require(Snowflake<Message>(exactly: try date("2084-12-31T00:00:00Z")))
        #expect(after > before)
        #expect(after.rawValue > UInt64(Int64.max))
        #expect(after.date == (try date("2084-12-31T00:00:00Z")))
    }

    @Test func theLargest42BitTimestampIsTheLastExactOne() throws {
        let last = try date("2154-05-15T07:35:11.103Z")
        let id = try #require(Snowflake<Message>(exactly: last))
        #expect(id.rawValue >> 22 == (1 << 42) - 1)
        #expect(id.unixMilliseconds == UInt64(Snowflake<Message>.unixMillisecondsRange.upperBound))
        #expect(Snowflake<Message>(exactly: try date("2154-05-15T07:35:11.104Z")) == nil)
        #expect(Snowflake<Message>(date: try date("2200-01-01T00:00:00Z")) == id)
    }

    @Test(arguments: [
        "2015-01-01T00:00:00.001Z", "2023-01-06T14:03:03.853Z", "2099-12-31T23:59:59.999Z", "2150-07-04T12:00:00.5Z",
    ])
    func everyMillisecondRoundTrips(text: String) throws {
        let instant = try date(text)
        let id = try #require(Snowflake<Message>(exactly: instant))
        #expect(id.unixMilliseconds == UInt64((instant.timeIntervalSince1970 * 1000).rounded()))
        #expect(id.worker == 0 && id.process == 0 && id.increment == 0)
    }

    @Test(arguments: [
        "2099-13-45T00:00:00Z", "2022-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-31T24:00:00Z",
        "2024-01-31T23:60:00Z", "2024-01-31T00:00:00+15:00", "2024-01-31T00:00:00Zjunk", "2024/01/31T00:00:00Z",
    ])
    func impossibleTimestampsDoNotParse(text: String) {
        #expect(DiscordTimestamp.parse(text) == nil)
    }

    @Test func leapDaysParse() {
        #expect(DiscordTimestamp.parse("2024-02-29T00:00:00Z") != nil)
        #expect(DiscordTimestamp.parse("2000-02-29T00:00:00Z") != nil)
        #expect(DiscordTimestamp.parse("1900-02-29T00:00:00Z") == nil)
    }
}
