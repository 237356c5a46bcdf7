import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore {
    /// See ``MessageStore/messageJSON(in:after:limit:)``: four columns read by position, the JSON as bytes (no
    /// `String` made and copied again per message).
    public func messageJSON(in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int) async throws
        -> [MessageJSONRow]
    {
        try await read("read messages of channel \(channel)") { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT id, edited_timestamp, deleted_at IS NOT NULL, \(MessageAuthors.json(of: "message"))
                    FROM message WHERE channel_id = ? AND id > ? ORDER BY id LIMIT ?
                    """)
            // Snowflakes are below 2^63, so -1 precedes every id.
            var rows: [MessageJSONRow] = []
            rows.reserveCapacity(limit)
            let cursor = try Row.fetchCursor(statement, arguments: [channel.columnID, after?.columnID ?? -1, limit])
            while let row = try cursor.next() {
                rows.append(
                    MessageJSONRow(
                        id: Snowflake(columnID: row[0]),
                        editedTimestamp: (row[1] as String?).map(DiscordTimestamp.init(rawValue:)),
                        isDeleted: row[2], json: row[3] as Data? ?? Data()))
            }
            return rows
        }
    }
}
