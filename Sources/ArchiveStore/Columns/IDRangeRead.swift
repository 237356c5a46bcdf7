import DiscordModels

/// A read of a range of ids in Discord's (unsigned) order, page by page over its column ranges: the one loop every
/// backend runs for a paged or whole-range read by id (messages, imports, members, attachments, the mirror map).
///
/// Ids at or above 2^63 are negative columns (``Swift/ClosedRange/columnIDRanges()``), so a range of ids is one or
/// two column ranges; the read asks `read` for each in order (ascending: the non-negative range first; descending:
/// the negative one first), each for at most what the limit leaves, and stops once the limit is reached. `read`
/// orders its rows within its range itself (`ORDER BY id`, or `ORDER BY id DESC` when descending).
///
/// ```swift
/// let read = IDRangeRead(Snowflake.ids(after: cursor), limit: 100)
/// let rows = try read.rows { range, wanted in
///     try fetch("… WHERE id BETWEEN ? AND ? ORDER BY id LIMIT ?", range.lowerBound, range.upperBound, wanted)
/// }
/// ```
public struct IDRangeRead: Sendable {
    /// Which end of the range a read starts from.
    public enum Order: Sendable {
        /// Oldest first: ids below 2^63, then those above.
        case ascending
        /// Newest first: ids at or above 2^63 (negative columns), then those below.
        case descending
    }

    /// The column ranges in the order they are read.
    public let ranges: [ClosedRange<Int64>]
    /// The most rows the read returns (`Int.max`: every row of the range).
    public let limit: Int

    /// A read of `ids` (nothing when `nil`) in `order`, of at most `limit` rows (every row when `nil`).
    public init<Tag>(_ ids: ClosedRange<Snowflake<Tag>>?, order: Order = .ascending, limit: Int? = nil) {
        self.init(columnRanges: ids.columnIDRanges(), order: order, limit: limit)
    }

    /// A read of the raw ids `ids` in `order`, of at most `limit` rows (every row when `nil`).
    public init(_ ids: ClosedRange<UInt64>, order: Order = .ascending, limit: Int? = nil) {
        self.init(columnRanges: ids.columnIDRanges(), order: order, limit: limit)
    }

    private init(columnRanges: [ClosedRange<Int64>], order: Order, limit: Int?) {
        self.ranges = order == .ascending ? columnRanges : columnRanges.reversed()
        self.limit = limit ?? Int.max
    }

    /// The rows `read` returns for each column range in turn, `read` given the range and how many rows are still
    /// wanted (without a limit: about `Int.max`, every row), until the limit is reached.
    public func rows<Row>(_ read: (_ range: ClosedRange<Int64>, _ wanted: Int) throws -> [Row]) rethrows -> [Row] {
        var rows: [Row] = []
        for range in ranges where rows.count < limit { Self.append(try read(range, limit - rows.count), to: &rows) }
        return rows
    }

    /// The rows `read` returns for each column range in turn, for a backend whose reads suspend (see ``rows(_:)``).
    public func asyncRows<Row>(_ read: (_ range: ClosedRange<Int64>, _ wanted: Int) async throws -> [Row])
        async rethrows
        -> [Row]
    {
        var rows: [Row] = []
        for range in ranges where rows.count < limit {
            Self.append(try await read(range, limit - rows.count), to: &rows)
        }
        return rows
    }

    /// Appends a range's rows (the first range's become the result as they are, without a copy).
    private static func append<Row>(_ page: [Row], to rows: inout [Row]) {
        if rows.isEmpty { rows = page } else { rows += page }
    }
}
