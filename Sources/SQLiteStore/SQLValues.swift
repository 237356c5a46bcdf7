import ArchiveStore
import DiscordModels
import Foundation
import GRDB

// Conversions between Skald values and the SQLite column conventions of ``ArchiveMigrations``.

extension Row {
    /// An id column, or `nil` when NULL.
    func snowflake<Tag>(_ column: String, as: Tag.Type = Tag.self) -> Snowflake<Tag>? {
        (self[column] as Int64?).map { Snowflake<Tag>(columnID: $0) }
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
