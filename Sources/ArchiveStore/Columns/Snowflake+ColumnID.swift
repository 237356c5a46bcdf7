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
