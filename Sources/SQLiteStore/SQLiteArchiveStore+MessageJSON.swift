import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore {
    /// See ``MessageStore/messageJSON(in:after:limit:)``: the columns read by position through SQLite's C API (no
    /// GRDB row, no boxed value per column), and a message's author object put back into its JSON here, from the
    /// `author_json` rows this read looked up once each, instead of by SQL per row (``MessageAuthors/json(of:)``
    /// gives the same bytes).
    public func messageJSON(in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int) async throws
        -> [MessageJSONRow]
    {
        try await read("read messages of channel \(channel)") { db in
            let query = try BoundStatement(
                db,
                sql: """
                    SELECT id, edited_timestamp, deleted_at IS NOT NULL, json, author_ref, author_at
                    FROM message WHERE channel_id = ? AND id BETWEEN ? AND ? ORDER BY id LIMIT ?
                    """)
            let authorQuery = try BoundStatement(db, sql: "SELECT json FROM author_json WHERE id = ?")
            defer { query.reset() }
            var authors: [Int64: [UInt8]?] = [:]
            return try IDRangeRead(Snowflake.ids(after: after), limit: limit).rows { range, wanted in
                var rows: [MessageJSONRow] = []
                rows.reserveCapacity(wanted)
                query.reset()
                query.bind(channel.columnID, at: 1)
                query.bind(range.lowerBound, at: 2)
                query.bind(range.upperBound, at: 3)
                query.bind(wanted, at: 4)
                while try query.step() {
                    let stored = query.bytes(3)
                    let json: Data
                    if query.isNull(4) {
                        json = Data(stored)
                    } else if query.isNull(3) {
                        json = Data()  // SQL's splice of NULL is NULL, read as no bytes
                    } else {
                        let reference = query.int64(4)
                        let author: [UInt8]?
                        if let known = authors[reference] {
                            author = known
                        } else {
                            author = try Self.authorJSON(reference, query: authorQuery)
                            authors[reference] = author
                        }
                        json = author.map { Self.splice(stored, author: $0, at: Int(query.int64(5))) } ?? Data()
                    }
                    rows.append(
                        MessageJSONRow(
                            id: Snowflake(columnID: query.int64(0)),
                            editedTimestamp: query.text(1).map(DiscordTimestamp.init(rawValue:)),
                            isDeleted: query.int64(2) != 0, json: json))
                }
                return rows
            }
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
    private static func authorJSON(_ reference: Int64, query: BoundStatement) throws -> [UInt8]? {
        query.reset()
        defer { query.reset() }
        query.bind(reference, at: 1)
        return try query.step() ? Array(query.bytes(0)) : nil
    }
}
