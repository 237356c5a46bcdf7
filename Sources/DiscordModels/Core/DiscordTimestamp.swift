import Foundation

/// An ISO 8601 timestamp as Discord sent it. The text is kept exactly (exports and the archive must be
/// lossless); `date` parses it, accepting 0 to 6 fractional digits, `Z` or an offset.
public struct DiscordTimestamp: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The text as received.
    public let rawValue: String

    /// Wraps a timestamp string.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Formats a date the way Discord does: `2017-07-11T17:27:07.299000+00:00`.
    public init(date: Date) { self.rawValue = Self.format(date) }

    /// Decodes the value from its JSON form.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the value in its JSON form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// A textual representation.
    public var description: String { rawValue }

    /// The instant, or `nil` when the text is not ISO 8601.
    public var date: Date? { Self.parse(rawValue) }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)` without Foundation's formatters (fast and thread-safe);
    /// `nil` for a date or time that does not exist (2022-02-30, month 13, 24:00) rather than rolling it over.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<start + count] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 19, let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":"), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
            CivilCalendar.isValid(year: year, month: month, day: day), hour <= 23, minute <= 59, second <= 59
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offsetSeconds = 0
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                guard index + 1 == bytes.count else { return nil }
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard let offsetHours = number(index + 1, 2), let offsetMinutes = number(index + 4, 2),
                    index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"), offsetHours <= 14,
                    offsetMinutes <= 59
                else {
                    return nil
                }
                offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            default: return nil
            }
        }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        let seconds = Double(days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds) + fraction
        return Date(timeIntervalSince1970: seconds)
    }

    /// Formats with six fractional digits and `+00:00`, as Discord's REST API does.
    public static func format(_ date: Date) -> String {
        let totalMicros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
        var seconds = totalMicros / 1_000_000
        var micros = totalMicros % 1_000_000
        if micros < 0 {
            micros += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86400
        var rest = seconds % 86400
        if rest < 0 {
            rest += 86400
            days -= 1
        }
        let (year, month, day) = CivilCalendar.date(days: Int(days))
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(Int(rest / 3600), 2)):"
            + "\(pad(Int(rest % 3600 / 60), 2)):\(pad(Int(rest % 60), 2)).\(pad(Int(micros), 6))+00:00"
    }
}
