import Bot
import Foundation
import Testing

/// The cron parser and next-run computation, in virtual time (no clock is read).
@Suite struct CronExpressionTests {
    static func at(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)!
    }

    static func next(_ expression: String, after text: String) throws -> String? {
        try CronExpression(expression).next(after: at(text)).map { ISO8601DateFormatter().string(from: $0) }
    }

    @Test(
        "next run times",
        arguments: [
            ("* * * * *", "2026-11-26T12:00:30Z", "2026-11-26T12:01:00Z"),
            ("*/15 * * * *", "2026-11-26T12:00:00Z", "2026-11-26T12:15:00Z"),
            ("0 3 * * *", "2026-11-26T12:00:00Z", "2026-11-27T03:00:00Z"),
            ("30 9-17/4 * * *", "2026-11-26T13:30:00Z", "2026-11-26T17:30:00Z"),
            ("0 0 1 * *", "2026-11-26T12:00:00Z", "2026-12-01T00:00:00Z"),
            ("0 0 * * mon-fri", "2026-11-27T12:00:00Z", "2026-11-30T00:00:00Z"),
            ("0 12 * * 7", "2026-11-26T12:00:00Z", "2026-11-29T12:00:00Z"),
            ("0 0 29 2 *", "2026-11-26T12:00:00Z", "2028-02-29T00:00:00Z"),
            ("0 0 13 * fri", "2026-11-26T12:00:00Z", "2026-11-27T00:00:00Z"),
            ("5,10 0 * jan,jul *", "2026-11-26T12:00:00Z", "2027-01-01T00:05:00Z"),
            ("@daily", "2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z"),
            ("@hourly", "2026-11-26T12:00:00Z", "2026-11-26T13:00:00Z"),
            ("@weekly", "2026-11-26T12:00:00Z", "2026-11-29T00:00:00Z"),
        ])
    func nextRun(_ expression: String, _ after: String, _ expected: String) throws {
        #expect(try Self.next(expression, after: after) == expected)
    }

    @Test("a date that never comes has no next run")
    func never() throws {
        #expect(try Self.next("0 0 30 2 *", after: "2026-11-26T12:00:00Z") == nil)
    }

    @Test(
        "bad expressions are refused with the field named",
        arguments: [
            ("* * * *", "five"), ("60 * * * *", "minute"), ("* 24 * * *", "hour"), ("* * 0 * *", "day-of-month"),
            ("* * * 13 *", "month"), ("* * * * 8", "day-of-week"), ("*/0 * * * *", "step"),
            ("5-1 * * * *", "backwards"),
            ("* * * foo *", "month"), ("1,,2 * * * *", "minute"),
        ])
    func refused(_ expression: String, _ mention: String) {
        #expect {
            try CronExpression(expression)
        } throws: { error in
            "\(error)".contains(mention)
        }
    }

    @Test("matches agrees with next")
    func matches() throws {
        let cron = try CronExpression("*/7 1,13 * * *")
        var date = Self.at("2026-11-26T00:00:00Z")
        for _ in 0..<20 {
            let next = try #require(cron.next(after: date))
            #expect(cron.matches(next))
            #expect(!cron.matches(next.addingTimeInterval(-60)) || next.timeIntervalSince(date) == 60)
            date = next
        }
    }
}
