import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

// Conversions between Skald values and the column conventions of ``PostgresMigrations`` (the same as SQLite's:
// snowflakes as signed 64-bit integers with the id's bit pattern, instants as sortable text in Discord's format).

extension PostgresRandomAccessRow {
    /// A column decoded as `T` (`nil` for NULL when `T` is optional).
    func get<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }

    /// An id column, or `nil` when NULL.
    func snowflake<Tag>(_ column: String, as: Tag.Type = Tag.self) throws -> Snowflake<Tag>? {
        try self[column].decode(Int64?.self).map { Snowflake<Tag>(columnID: $0) }
    }

    /// A non-NULL id column.
    func id<Tag>(_ column: String, as: Tag.Type = Tag.self) throws -> Snowflake<Tag> {
        Snowflake<Tag>(columnID: try self[column].decode(Int64.self))
    }

    /// A JSON column (selected as text) as its exact bytes.
    func jsonData(_ column: String = "json") throws -> Data { Data(try self[column].decode(String.self).utf8) }

    /// A text instant column.
    func date(_ column: String) throws -> Date { ColumnDate.date(try self[column].decode(String.self)) }

    /// A nullable text instant column.
    func optionalDate(_ column: String) throws -> Date? { ColumnDate.date(try self[column].decode(String?.self)) }
}

/// JSON bytes as column text; stored JSON must be UTF-8 (and, in PostgreSQL, free of NUL characters).
func jsonText(_ data: Data, what: @autoclosure () -> String) throws -> String {
    // The NUL search is one `memchr` over the bytes (`Data.contains` walked them through `Data.Iterator`: 12% of
    // the archive's CPU on PostgreSQL).
    let hasNUL = data.withUnsafeBytes { bytes in bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false }
    guard !hasNUL, let text = String(validating: data, as: UTF8.self) else {
        throw ArchiveStoreError.invalidJSON("\(what()) is not UTF-8 JSON text; nothing of the batch was stored")
    }
    return text
}

/// Text for a `text` column: PostgreSQL text cannot hold NUL characters, which Discord content may (as `\u0000`
/// in the JSON, which the `json` column keeps exactly); they become U+FFFD in the typed column only.
func pgText(_ text: String) -> String {
    // Searched in the UTF-8 bytes: `String.contains(String)` goes through Foundation (6% of the archive's CPU).
    containsNUL(text) ? text.replacingOccurrences(of: "\0", with: "\u{FFFD}") : text
}

/// Whether `text` holds a NUL character, found with one `memchr` over its UTF-8 bytes.
func containsNUL(_ text: String) -> Bool {
    if let found = text.utf8.withContiguousStorageIfAvailable({ bytes in
        bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false
    }) {
        return found
    }
    return text.utf8.contains(0)
}

/// A query built piece by piece with numbered parameters, for statements whose shape depends on the data.
struct SQLBuilder {
    var sql = ""
    var binds = PostgresBindings()

    /// Appends SQL text.
    mutating func append(_ text: String) { sql += text }

    /// Appends a parameter placeholder (`$n`) for `value`, with an optional cast (`::bigint[]`).
    mutating func bind<T: PostgresDynamicTypeEncodable>(_ value: T, cast: String = "") {
        binds.append(value)
        sql += "$\(binds.count)\(cast)"
    }

    /// Appends a placeholder for an optional value.
    mutating func bind<T: PostgresDynamicTypeEncodable>(_ value: T?, cast: String = "") {
        binds.append(value)
        sql += "$\(binds.count)\(cast)"
    }

    /// Appends `column BETWEEN $n AND $m` for one column range of ids (see `columnIDRanges()`: ids at or above 2^63
    /// are negative columns, so a range of ids is one or two such ranges).
    mutating func between(_ column: String, _ range: ClosedRange<Int64>) {
        append("\(column) BETWEEN ")
        bind(range.lowerBound)
        append(" AND ")
        bind(range.upperBound)
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}
