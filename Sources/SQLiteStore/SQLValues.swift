import ArchiveStore
import DiscordModels
import Foundation
import GRDB

// Conversions between Skald values and the SQLite column conventions of ``ArchiveMigrations``.

extension Snowflake {
    /// The id as a signed 64-bit column value (same bit pattern).
    var sqlID: Int64 { Int64(bitPattern: rawValue) }

    /// An id read from a column.
    init(sqlID: Int64) { self.init(UInt64(bitPattern: sqlID)) }
}

extension Optional {
    /// An optional id as a column value.
    func sqlID<Tag>() -> Int64? where Wrapped == Snowflake<Tag> { self?.sqlID }
}

/// Instants as sortable text in Discord's format.
enum SQLDate {
    static func text(_ date: Date) -> String { DiscordTimestamp.format(date) }
    static func text(_ date: Date?) -> String? { date.map(DiscordTimestamp.format) }
    static func date(_ text: String?) -> Date? { text.flatMap(DiscordTimestamp.parse) }
    static func date(_ text: String) -> Date { DiscordTimestamp.parse(text) ?? Date(timeIntervalSince1970: 0) }
}

extension Row {
    /// An id column, or `nil` when NULL.
    func snowflake<Tag>(_ column: String, as: Tag.Type = Tag.self) -> Snowflake<Tag>? {
        (self[column] as Int64?).map { Snowflake<Tag>(sqlID: $0) }
    }

    /// A JSON text column as bytes.
    func jsonData(_ column: String = "json") -> Data { Data((self[column] as String? ?? "").utf8) }
}

/// JSON bytes as column text; stored JSON must be UTF-8.
func jsonText(_ data: Data, what: @autoclosure () -> String) throws -> String {
    guard let text = String(validating: data, as: UTF8.self) else {
        throw ArchiveStoreError.invalidJSON("\(what()) is not UTF-8 JSON text; nothing of the batch was stored")
    }
    return text
}
