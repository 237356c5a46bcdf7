import DiscordModels
import Foundation

/// An instant with 100 ns precision (DCE's `DateTimeOffset` ticks), parsed from Discord or DCE timestamp text and
/// written in DCE's format: `yyyy-MM-ddTHH:mm:ss[.fffffff trimmed]±HH:MM`, never `Z`.
public struct DCETime: Sendable, Hashable, Comparable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var seconds: Int64
    /// 100 ns units within the second, 0..<10_000_000.
    public var ticks: Int64

    /// Makes an instant.
    public init(seconds: Int64, ticks: Int64 = 0) {
        self.seconds = seconds
        self.ticks = ticks
    }

    /// The instant of a `Date` (rounded to 100 ns).
    public init(date: Date) {
        let total = (date.timeIntervalSince1970 * 10_000_000).rounded()
        let all = Int64(total)
        seconds = all >= 0 ? all / 10_000_000 : -((-all + 9_999_999) / 10_000_000)
        ticks = all - seconds * 10_000_000
    }

    /// The instant of a snowflake id (millisecond precision).
    public init(snowflake: UInt64) {
        let milliseconds = Int64(Snowflake<AnyTag>(snowflake).unixMilliseconds)
        self.init(seconds: milliseconds / 1000, ticks: (milliseconds % 1000) * 10_000)
    }

    /// A `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(seconds) + Double(ticks) / 10_000_000) }

    /// Compares two values.
    public static func < (lhs: DCETime, rhs: DCETime) -> Bool {
        (lhs.seconds, lhs.ticks) < (rhs.seconds, rhs.ticks)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.f…](Z|±HH:MM)` (any number of fraction digits; beyond 7 are cut).
    public static func parse(_ text: String) -> DCETime? {
        let b = Array(text.utf8)
        func num(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= b.count else { return nil }
            var value: Int64 = 0
            for byte in b[start..<start + count] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard b.count >= 19, let year = num(0, 4), let month = num(5, 2), let day = num(8, 2),
            let hour = num(11, 2), let minute = num(14, 2), let second = num(17, 2)
        else { return nil }
        var i = 19
        var ticks: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 7 {
                    ticks = ticks * 10 + Int64(b[i] - 48)
                    digits += 1
                }
                i += 1
            }
            while digits < 7 {
                ticks *= 10
                digits += 1
            }
        }
        var offset: Int64 = 0
        if i < b.count {
            switch b[i] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"): break
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard let h = num(i + 1, 2), let m = num(i + 4, 2) else { return nil }
                offset = (h * 3600 + m * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            default: return nil
            }
        }
        let days = Int64(CivilCalendar.days(year: Int(year), month: Int(month), day: Int(day)))
        return DCETime(seconds: days * 86_400 + hour * 3600 + minute * 60 + second - offset, ticks: ticks)
    }

    /// DCE's text at a UTC offset in seconds, written byte by byte (one array, one string: it runs for every
    /// timestamp of an export).
    public func formatted(offset: Int) -> String {
        let local = seconds + Int64(offset)
        let days = local >= 0 ? local / 86_400 : -((-local + 86_399) / 86_400)
        let secondOfDay = local - days * 86_400
        let (year, month, day) = CivilCalendar.date(days: Int(days))
        var out: [UInt8] = []
        out.reserveCapacity(40)
        Self.append(Int64(year), width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.append(Int64(month), width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        Self.append(Int64(day), width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        Self.append(secondOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        Self.append(secondOfDay / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        Self.append(secondOfDay % 60, width: 2, to: &out)
        if ticks > 0 {
            // Seven digits of ticks without their trailing zeros.
            var fraction = ticks
            var width = 7
            while fraction % 10 == 0, width > 1 {
                fraction /= 10
                width -= 1
            }
            out.append(UInt8(ascii: "."))
            Self.append(fraction, width: width, to: &out)
        }
        out.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let magnitude = Int64(abs(offset))
        Self.append(magnitude / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        Self.append(magnitude / 60 % 60, width: 2, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The local calendar fields at an offset: (year, month, day, hour, minute, second, weekday 0 = Sunday).
    func fields(offset: Int) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int) {
        let local = seconds + Int64(offset)
        let days = local >= 0 ? local / 86_400 : -((-local + 86_399) / 86_400)
        let secondOfDay = local - days * 86_400
        let (year, month, day) = CivilCalendar.date(days: Int(days))
        let weekday = Int(((days % 7) + 7 + 4) % 7)
        return (
            Int(year), Int(month), Int(day), Int(secondOfDay / 3600), Int(secondOfDay / 60 % 60),
            Int(secondOfDay % 60), weekday
        )
    }

    /// Appends `value` in decimal, zero-padded on the left to `width` digits (a negative value as `String` writes
    /// it, padded the same way).
    private static func append(_ value: Int64, width: Int, to out: inout [UInt8]) {
        guard value >= 0 else {
            let text = String(value)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: max(0, width - text.utf8.count)))
            out.append(contentsOf: text.utf8)
            return
        }
        var digits = 1
        var scale: Int64 = 1
        while digits < 19, value / scale >= 10 {
            scale *= 10
            digits += 1
        }
        if digits < width { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits)) }
        var rest = value
        while scale > 0 {
            out.append(UInt8(truncatingIfNeeded: 48 + rest / scale))
            rest %= scale
            scale /= 10
        }
    }
}

/// The time zone exported timestamps are converted to: UTC (`--utc`) or a zone's offset at each instant.
public struct DCETimeZone: Sendable {
    let zone: TimeZone?
    /// The zone's one offset when it never changes after 1970 (UTC, fixed-offset zones): no per-instant look-up.
    private let fixedOffset: Int?
    /// The end of every timestamp text in a zone of one offset (`+00:00`).
    private let fixedOffsetText: String?

    /// UTC, written `+00:00`.
    public static let utc = DCETimeZone(zone: nil)

    /// The machine's local zone.
    public static var local: DCETimeZone { DCETimeZone(zone: TimeZone.current) }

    /// A named zone.
    public init(zone: TimeZone?) {
        self.zone = zone
        if let zone {
            let epoch = Date(timeIntervalSince1970: 0)
            let constant = zone.nextDaylightSavingTimeTransition(after: epoch) == nil
            fixedOffset = constant ? zone.secondsFromGMT(for: epoch) : nil
        } else {
            fixedOffset = 0
        }
        fixedOffsetText = fixedOffset.map { String(DCETime(seconds: 0).formatted(offset: $0).suffix(6)) }
    }

    /// Whether DCE timestamp `text` carries the offset this zone has at its instant (so writing it in this zone
    /// gives the same text). A zone of one offset compares the text's end only; others parse the instant.
    func hasItsOffset(_ text: String) -> Bool {
        if let fixedOffsetText { return text.hasSuffix(fixedOffsetText) }
        guard let time = DCETime.parse(text) else { return true }
        return text.hasSuffix(format(time).suffix(6))
    }

    /// The offset in seconds at an instant.
    public func offset(at time: DCETime) -> Int {
        guard let zone else { return 0 }
        if let fixedOffset, time.seconds >= 0 { return fixedOffset }
        return zone.secondsFromGMT(for: time.date)
    }

    /// DCE's text for an instant in this zone.
    public func format(_ time: DCETime) -> String { time.formatted(offset: offset(at: time)) }

    /// DCE's text for timestamp text from Discord, or `nil` when it does not parse.
    public func format(_ text: String?) -> String? {
        guard let text, let time = DCETime.parse(text) else { return nil }
        return format(time)
    }
}
