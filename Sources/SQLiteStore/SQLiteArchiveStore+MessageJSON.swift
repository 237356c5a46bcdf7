import ArchiveStore
import DiscordModels
import Foundation
import GRDB
import GRDBSQLite

extension SQLiteArchiveStore {
    /// See ``MessageStore/messageJSON(in:after:limit:)``: the columns read by position through SQLite's C API (no
    /// GRDB row, no boxed value per column), and a message's author object put back into its JSON here, from the
    /// `author_json` rows this read looked up once each, instead of by SQL per row (``MessageAuthors/json(of:)``
    /// gives the same bytes).
    public func messageJSON(in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int) async throws
        -> [MessageJSONRow]
    {
        try await read("read messages of channel \(channel)") { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT id, edited_timestamp, deleted_at IS NOT NULL, json, author_ref, author_at
                    FROM message WHERE channel_id = ? AND id > ? ORDER BY id LIMIT ?
                    """)
            let authorStatement = try db.cachedStatement(sql: "SELECT json FROM author_json WHERE id = ?")
            let handle = statement.sqliteStatement
            let connection = db.sqliteConnection
            sqlite3_reset(handle)
            // Snowflakes are below 2^63, so -1 precedes every id.
            sqlite3_bind_int64(handle, 1, channel.columnID)
            sqlite3_bind_int64(handle, 2, after?.columnID ?? -1)
            sqlite3_bind_int64(handle, 3, Int64(limit))
            defer {
                sqlite3_reset(handle)
                sqlite3_clear_bindings(handle)
            }
            var authors: [Int64: [UInt8]?] = [:]
            var rows: [MessageJSONRow] = []
            rows.reserveCapacity(limit)
            while true {
                let code = sqlite3_step(handle)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    throw DatabaseError(
                        resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
                        message: connection.map { String(cString: sqlite3_errmsg($0)) }, sql: statement.sql)
                }
                let id = sqlite3_column_int64(handle, 0)
                let edited = Self.text(handle, 1).map(DiscordTimestamp.init(rawValue:))
                let isDeleted = sqlite3_column_int64(handle, 2) != 0
                let stored = Self.bytes(handle, 3)
                let json: Data
                if sqlite3_column_type(handle, 4) == SQLITE_NULL {
                    json = Data(stored)
                } else if sqlite3_column_type(handle, 3) == SQLITE_NULL {
                    json = Data()  // SQL's splice of NULL is NULL, read as no bytes
                } else {
                    let reference = sqlite3_column_int64(handle, 4)
                    let at = Int(sqlite3_column_int64(handle, 5))
                    let author: [UInt8]?
                    if let known = authors[reference] {
                        author = known
                    } else {
                        author = try Self.authorJSON(reference, statement: authorStatement, connection: connection)
                        authors[reference] = author
                    }
                    json = author.map { Self.splice(stored, author: $0, at: at) } ?? Data()
                }
                rows.append(
                    MessageJSONRow(
                        id: Snowflake(columnID: id), editedTimestamp: edited, isDeleted: isDeleted, json: json))
            }
            return rows
        }
    }

    /// The stored JSON with the author object at `at` in place of its `null` (as ``MessageAuthors/json(of:)``:
    /// the bytes before `at`, the author, the bytes after the four of `null`; past the end, nothing).
    private static func splice(_ stored: UnsafeRawBufferPointer, author: [UInt8], at: Int) -> Data {
        let head = min(max(at, 0), stored.count)
        let tailStart = min(max(at + 4, 0), stored.count)
        var json = Data(capacity: head + author.count + stored.count - tailStart)
        json.append(contentsOf: UnsafeRawBufferPointer(rebasing: stored[..<head]))
        json.append(contentsOf: author)
        json.append(contentsOf: UnsafeRawBufferPointer(rebasing: stored[tailStart...]))
        return json
    }

    /// The JSON of an `author_json` row, `nil` if there is none (the SQL splice is NULL then, read as no bytes;
    /// ``MessageAuthors`` never deletes its rows).
    private static func authorJSON(_ reference: Int64, statement: Statement, connection: OpaquePointer?) throws
        -> [UInt8]?
    {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_int64(handle, 1, reference)
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_ROW else {
            if code == SQLITE_DONE { return nil }
            throw DatabaseError(
                resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
                message: connection.map { String(cString: sqlite3_errmsg($0)) }, sql: statement.sql)
        }
        return Array(bytes(handle, 0))
    }

    /// A column's bytes, valid until the statement steps again (empty for NULL).
    private static func bytes(_ handle: OpaquePointer, _ column: Int32) -> UnsafeRawBufferPointer {
        // The pointer first, then the count (SQLite's documented order).
        let base = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let base, count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base, count: count)
    }

    /// A text column as a `String`, or `nil` for NULL.
    private static func text(_ handle: OpaquePointer, _ column: Int32) -> String? {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
        return String(decoding: bytes(handle, column), as: UTF8.self)
    }
}
