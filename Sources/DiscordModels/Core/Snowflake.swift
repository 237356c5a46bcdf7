import Foundation

/// A Discord id: a 64-bit value carried as a decimal string on the wire, typed by what it identifies.
///
/// The phantom `Tag` keeps a guild id from being passed where a channel id is expected:
/// ```swift
/// let channel: Snowflake<Channel> = "1012224565567721552"
/// print(channel.date)  // 2022-08-25 …
/// ```
public struct Snowflake<Tag>: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The raw 64-bit value.
    public let rawValue: UInt64

    /// Discord's epoch, 2015-01-01T00:00:00Z, in Unix milliseconds. With ``timestampShift``, the only place the
    /// project knows how an id holds its time.
    public static var discordEpochMilliseconds: UInt64 { 1_420_070_400_000 }

    /// How far left the timestamp is shifted in an id (the low 22 bits are worker, process and increment).
    public static var timestampShift: UInt64 { 22 }

    /// The largest timestamp an id can hold: 2^42 − 1 milliseconds after the Discord epoch.
    public static var maxMillisecondsSinceEpoch: UInt64 { (1 << 42) - 1 }

    /// The first and last Unix milliseconds an id can hold: 2015-01-01T00:00:00.000Z and
    /// 2154-05-15T07:35:11.103Z.
    public static var unixMillisecondsRange: ClosedRange<Int64> {
        Int64(discordEpochMilliseconds)...Int64(discordEpochMilliseconds + maxMillisecondsSinceEpoch)
    }

    /// Wraps a raw 64-bit value.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// Parses a decimal string; `nil` when it is not a non-negative 64-bit integer.
    public init?(_ string: String) {
        guard let value = UInt64(string) else { return nil }
        self.rawValue = value
    }

    /// The smallest id made at `unixMilliseconds`, exactly; `nil` when no id holds that time (before the Discord
    /// epoch or after ``unixMillisecondsRange``).
    public init?(exactlyUnixMilliseconds milliseconds: Int64) {
        guard Self.unixMillisecondsRange.contains(milliseconds) else { return nil }
        self.rawValue = (UInt64(milliseconds) - Self.discordEpochMilliseconds) << Self.timestampShift
    }

    /// The smallest id made at `unixMilliseconds`, clamped to the ids that exist: 0 before the Discord epoch, the
    /// first id of the last representable millisecond after it (never a wrapped-around small value).
    public init(clampingUnixMilliseconds milliseconds: Int64) {
        let range = Self.unixMillisecondsRange
        self.init(exactlyUnixMilliseconds: min(max(milliseconds, range.lowerBound), range.upperBound))!
    }

    /// The smallest id made at `date`'s millisecond, exactly; `nil` when no id holds that time. Sub-millisecond
    /// digits are dropped after rounding to the microsecond (so `…:11.103Z` is millisecond 103, not 102).
    public init?(exactly date: Date) {
        let microseconds = (date.timeIntervalSince1970 * 1_000_000).rounded()
        guard microseconds.isFinite, abs(microseconds) < 9e18 else { return nil }
        let whole = Int64(microseconds)
        let milliseconds = whole >= 0 ? whole / 1000 : -((-whole + 999) / 1000)
        self.init(exactlyUnixMilliseconds: milliseconds)
    }

    /// The smallest snowflake created at `date` (worker, process and increment all zero): a cursor for
    /// "messages after this moment". Clamped like ``init(clampingUnixMilliseconds:)``.
    public init(date: Date) {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
        let bounded = min(max(milliseconds, -9.2e18), 9.2e18)
        self.init(clampingUnixMilliseconds: Int64(bounded))
    }

    /// Builds a snowflake from its four fields (the time clamped as in ``init(clampingUnixMilliseconds:)``).
    public init(unixMilliseconds: UInt64, worker: UInt64 = 0, process: UInt64 = 0, increment: UInt64 = 0) {
        let time = Self(clampingUnixMilliseconds: Int64(clamping: unixMilliseconds)).rawValue
        self.rawValue = time | (worker & 0x1F) << 17 | (process & 0x1F) << 12 | (increment & 0xFFF)
    }

    /// Milliseconds since the Unix epoch at which the id was made.
    public var unixMilliseconds: UInt64 { (rawValue >> Self.timestampShift) + Self.discordEpochMilliseconds }

    /// The moment the id was made.
    public var date: Date { Date(timeIntervalSince1970: Double(unixMilliseconds) / 1000) }

    /// Bits 21–17.
    public var worker: UInt64 { (rawValue & 0x3E0000) >> 17 }
    /// Bits 16–12.
    public var process: UInt64 { (rawValue & 0x1F000) >> 12 }
    /// Bits 11–0.
    public var increment: UInt64 { rawValue & 0xFFF }

    /// A textual representation.
    public var description: String { String(rawValue) }

    /// The same value, typed as another kind of id (for ids whose kind depends on context, such as
    /// permission overwrites that name a role or a member).
    public func cast<Other>(to: Other.Type = Other.self) -> Snowflake<Other> { Snowflake<Other>(rawValue) }

    /// Compares two values.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Snowflake: Codable {
    /// Decodes the wire form (a decimal string); a bare JSON number is tolerated.
    public init(from decoder: any Decoder) throws {
        rawValue = try DecimalString.decode(from: decoder, what: "Snowflake")
    }

    /// Encodes as a decimal string, as Discord does.
    public func encode(to encoder: any Encoder) throws {
        try DecimalString.encode(rawValue, to: encoder)
    }
}

extension Snowflake: ExpressibleByStringLiteral {
    /// A literal id; traps on a malformed literal, which is a programming error.
    public init(stringLiteral value: String) {
        guard let parsed = UInt64(value) else { preconditionFailure("not a snowflake: \(value)") }
        self.rawValue = parsed
    }
}

/// The tag of an id whose kind is not known statically.
public enum AnyTag {}

/// An id of unknown kind.
public typealias AnySnowflake = Snowflake<AnyTag>

extension Snowflake {
    /// Why an id's text (a JSON string's contents or a number) is not a snowflake, as a phrase after "has" (`an id
    /// too large for 64 bits (…); Discord ids are at most 18446744073709551615`); nil when it is one. The spec's
    /// pattern allows 20 digits, up to 99,999,999,999,999,999,999, which no 64-bit snowflake reaches: such an id is
    /// refused, never stored as something else.
    public static func problem(withText text: some StringProtocol) -> String? {
        if UInt64(text) != nil { return nil }
        let digits = text.hasPrefix("-") ? text.dropFirst() : text[...]
        if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
            if text.hasPrefix("-") { return "a negative id (\(text)); Discord ids are positive" }
            return "an id too large for 64 bits (\(text)); Discord ids are at most 18446744073709551615"
        }
        return "an id that is not a whole number (\(text.prefix(40)))"
    }
}
