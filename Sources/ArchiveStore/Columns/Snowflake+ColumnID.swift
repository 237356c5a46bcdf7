import DiscordModels

// The column conventions every backend shares (see `ArchiveSchema`): snowflakes are
// stored as signed 64-bit integers with the id's bit pattern.

extension Snowflake {
    /// The id as a signed 64-bit column value (same bit pattern).
    public var columnID: Int64 { Int64(bitPattern: rawValue) }

    /// An id read from a column.
    public init(columnID: Int64) { self.init(UInt64(bitPattern: columnID)) }
}

extension Optional {
    /// An optional id as a column value.
    public func columnID<Tag>() -> Int64? where Wrapped == Snowflake<Tag> { self?.columnID }
}

extension Sequence {
    /// The distinct column values of a batch look-up's ids (in no order), or `nil` when there are none: nothing to
    /// read.
    public func distinctColumnIDs<Tag>() -> [Int64]? where Element == Snowflake<Tag> {
        let ids = Set(map(\.columnID))
        return ids.isEmpty ? nil : Array(ids)
    }
}

// Ids at or above 2^63 are negative columns (the bit pattern is kept, so an archive reads with the ids Discord
// shows), so Discord's (unsigned) order is the columns' signed order within each half, the non-negative half first.
// A query over a range of ids reads its column ranges one after the other (each an index range scan in order).

extension Snowflake {
    /// The ids after `cursor` (every id when `nil`); `nil` when none is (`cursor` is the largest id).
    public static func ids(after cursor: Self?) -> ClosedRange<Self>? {
        guard let cursor else { return Self(0)...Self(UInt64.max) }
        return cursor.rawValue == UInt64.max ? nil : Self(cursor.rawValue + 1)...Self(UInt64.max)
    }

    /// The ids before `cursor` (every id when `nil`); `nil` when none is (`cursor` is 0).
    public static func ids(before cursor: Self?) -> ClosedRange<Self>? {
        guard let cursor else { return Self(0)...Self(UInt64.max) }
        return cursor.rawValue == 0 ? nil : Self(0)...Self(cursor.rawValue - 1)
    }
}

extension ClosedRange {
    /// The signed column ranges that hold these ids, in Discord's (unsigned) ascending order: one, or two when the
    /// range runs across 2^63 (`[low, Int64.max]` then `[Int64.min, high]`). Read them reversed, each descending,
    /// for newest first.
    public func columnIDRanges<Tag>() -> [ClosedRange<Int64>] where Bound == Snowflake<Tag> {
        (lowerBound.rawValue...upperBound.rawValue).columnIDRanges()
    }

    /// The signed column ranges that hold these raw ids (see the typed ids' `columnIDRanges()`).
    public func columnIDRanges() -> [ClosedRange<Int64>] where Bound == UInt64 {
        let low = Int64(bitPattern: lowerBound)
        let high = Int64(bitPattern: upperBound)
        return low <= high ? [low...high] : [low...Int64.max, Int64.min...high]
    }
}

extension Optional {
    /// The signed column ranges of an optional id range (none when `nil`), in ascending order.
    public func columnIDRanges<Tag>() -> [ClosedRange<Int64>] where Wrapped == ClosedRange<Snowflake<Tag>> {
        self?.columnIDRanges() ?? []
    }
}
