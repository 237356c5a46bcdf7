import Foundation

/// A five-field cron expression (`minute hour day-of-month month day-of-week`), evaluated in UTC.
///
/// Each field takes `*`, numbers, ranges `a-b`, lists `a,b`, steps `*/n` and `a-b/n`; months and days also take
/// names (`jan`…`dec`, `sun`…`sat`; day 7 is Sunday too). As in Vixie cron, when both day fields are restricted a
/// day matches if either does. The macros `@yearly` (`@annually`), `@monthly`, `@weekly`, `@daily` (`@midnight`)
/// and `@hourly` are accepted.
///
/// ```swift
/// let cron = try CronExpression("*/15 9-17 * * mon-fri")
/// let next = cron.next(after: now)     // the first matching minute strictly after `now`
/// ```
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// Why an expression was refused.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong, naming the field.
        public let description: String
    }

    /// The expression as written.
    public let description: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let days: Set<Int>
    let months: Set<Int>
    let weekdays: Set<Int>
    let daysRestricted: Bool
    let weekdaysRestricted: Bool

    static let macros = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]
    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    /// Parses an expression.
    /// - Throws: ``ParseError`` naming the field and what is wrong.
    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expanded = Self.macros[trimmed.lowercased()] ?? trimmed
        let fields = expanded.split(whereSeparator: \.isWhitespace).map { String($0).lowercased() }
        guard fields.count == 5 else {
            throw ParseError(
                description: "\"\(text)\" has \(fields.count) fields; a cron expression has five "
                    + "(minute hour day-of-month month day-of-week) or is a macro such as @daily")
        }
        description = trimmed
        minutes = try Self.field(fields[0], name: "minute", range: 0...59)
        hours = try Self.field(fields[1], name: "hour", range: 0...23)
        days = try Self.field(fields[2], name: "day-of-month", range: 1...31)
        months = try Self.field(fields[3], name: "month", range: 1...12, names: Self.monthNames, nameBase: 1)
        let weekdays = try Self.field(fields[4], name: "day-of-week", range: 0...7, names: Self.dayNames, nameBase: 0)
        self.weekdays = Set(weekdays.map { $0 % 7 })
        daysRestricted = fields[2] != "*"
        weekdaysRestricted = fields[4] != "*"
    }

    private static func field(
        _ text: String, name: String, range: ClosedRange<Int>, names: [String] = [], nameBase: Int = 0
    ) throws -> Set<Int> {
        func value(_ part: Substring) throws -> Int {
            if let index = names.firstIndex(of: String(part)) { return index + nameBase }
            guard let number = Int(part), range.contains(number) else {
                throw ParseError(
                    description: "\(name) \"\(part)\" is not in \(range.lowerBound)-\(range.upperBound)"
                        + (names.isEmpty ? "" : " or a name (\(names.first!)…)"))
            }
            return number
        }
        var result: Set<Int> = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(pieces.count), !pieces[0].isEmpty else {
                throw ParseError(description: "\(name) \"\(item)\" is not a value, range or step")
            }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else {
                    throw ParseError(description: "\(name) step \"\(pieces[1])\" must be a positive number")
                }
                step = parsed
            }
            let bounds: ClosedRange<Int>
            if pieces[0] == "*" {
                bounds = range
            } else if let dash = pieces[0].firstIndex(of: "-") {
                let low = try value(pieces[0][..<dash])
                let high = try value(pieces[0][pieces[0].index(after: dash)...])
                guard low <= high else {
                    throw ParseError(description: "\(name) range \"\(pieces[0])\" runs backwards")
                }
                bounds = low...high
            } else {
                let single = try value(pieces[0])
                bounds = single...(pieces.count == 2 ? range.upperBound : single)
            }
            result.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return result
    }

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Whether the expression matches the minute of `date` (UTC).
    public func matches(_ date: Date) -> Bool {
        let c = Self.utc.dateComponents([.minute, .hour, .day, .month, .weekday], from: date)
        guard let minute = c.minute, let hour = c.hour, let day = c.day, let month = c.month,
            let weekday = c.weekday
        else { return false }
        return minutes.contains(minute) && hours.contains(hour) && months.contains(month)
            && matchesDay(day, weekday: weekday - 1)
    }

    private func matchesDay(_ day: Int, weekday: Int) -> Bool {
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): days.contains(day) || weekdays.contains(weekday)
        case (true, false): days.contains(day)
        case (false, true): weekdays.contains(weekday)
        case (false, false): true
        }
    }

    /// The first matching minute strictly after `date`, or nil when none comes within eight years (`0 0 30 2 *`).
    public func next(after date: Date) -> Date? {
        let calendar = Self.utc
        let start = calendar.dateInterval(of: .minute, for: date)?.start ?? date
        guard var candidate = calendar.date(byAdding: .minute, value: 1, to: start) else { return nil }
        let limit = date.addingTimeInterval(8 * 366 * 86_400)
        while candidate < limit {
            let c = calendar.dateComponents([.minute, .hour, .day, .month, .weekday], from: candidate)
            guard let minute = c.minute, let hour = c.hour, let day = c.day, let month = c.month,
                let weekday = c.weekday
            else { return nil }
            if !months.contains(month) {
                let firstOfMonth = calendar.dateInterval(of: .month, for: candidate)!.end
                candidate = firstOfMonth
            } else if !matchesDay(day, weekday: weekday - 1) {
                candidate = calendar.dateInterval(of: .day, for: candidate)!.end
            } else if !hours.contains(hour) {
                candidate = calendar.dateInterval(of: .hour, for: candidate)!.end
            } else if !minutes.contains(minute) {
                candidate = candidate.addingTimeInterval(60)
            } else {
                return candidate
            }
        }
        return nil
    }
}
