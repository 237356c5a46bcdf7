import GRDB

/// Adds inserted message rows to the full-text index (`message_search`, an external-content FTS5 table over
/// `message.content`) in as few statements as possible, inside the inserting transaction.
///
/// FTS5 writes its pending terms out as a new segment at every statement savepoint, so indexing each row from its
/// own statement (as an insert trigger did) cost a segment, and later merges, per message. The writer notes each
/// inserted `row_id` and flushes once per group of pages: new rows take consecutive rowids, so one
/// `INSERT … SELECT` over the range indexes them all. A content update's trigger re-indexes a row, which must be
/// indexed already: flush before updating.
///
/// The archive writer gives each row's text with it (`inserted(_:content:)`): the texts wait in an in-memory
/// temporary table of the writer's connection and enter the index from there, since SQLite reads a row's `content`
/// from its JSON (``MessageContentColumn``: a parse of the whole message per row, about a tenth of the writer's
/// CPU when the index was fed from the rows). Rows noted without their text (`migrate-store`) are read back.
///
/// ```swift
/// var search = MessageSearchFeed()
/// try insert.execute(arguments: …); search.inserted(db.lastInsertedRowID, content: text)
/// try search.flush(db)
/// ```
struct MessageSearchFeed {
    /// The writer connection's temporary table of texts waiting to be indexed (made when the connection opens).
    static let stagingTable =
        "CREATE TEMP TABLE IF NOT EXISTS search_feed (rowid INTEGER PRIMARY KEY, content TEXT NOT NULL)"

    /// Inserted rows not indexed yet, in insertion order.
    private var pending: [Int64] = []
    /// The texts of `pending`, when every row was noted with its text.
    private var contents: [String] = []

    /// Notes a row inserted into `message`; its text is read back from the row when indexed.
    mutating func inserted(_ rowID: Int64) { pending.append(rowID) }

    /// Notes a row inserted into `message` whose `content` is `content`.
    mutating func inserted(_ rowID: Int64, content: String) {
        pending.append(rowID)
        contents.append(content)
    }

    /// Whether rows wait to be indexed.
    var isEmpty: Bool { pending.isEmpty }

    /// Indexes the noted rows: one statement for a run of consecutive rowids (the usual case), one per row
    /// otherwise.
    mutating func flush(_ db: Database) throws {
        guard let first = pending.first, let last = pending.last else { return }
        defer {
            pending.removeAll(keepingCapacity: true)
            contents.removeAll(keepingCapacity: true)
        }
        if contents.count == pending.count {
            let stage = try BoundStatement(db, sql: "INSERT INTO temp.search_feed (rowid, content) VALUES (?, ?)")
            for (row, content) in zip(pending, contents) {
                stage.bind(row, at: 1)
                stage.bind(text: content, at: 2)
                try stage.execute()
            }
            try db.cachedStatement(
                sql: "INSERT INTO message_search (rowid, content) SELECT rowid, content FROM temp.search_feed"
            ).execute()
            try db.cachedStatement(sql: "DELETE FROM temp.search_feed").execute()
            return
        }
        if last - first + 1 == Int64(pending.count), zip(pending, pending.dropFirst()).allSatisfy({ $0 + 1 == $1 }) {
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO message_search (rowid, content)
                    SELECT row_id, content FROM message WHERE row_id BETWEEN ? AND ?
                    """)
            try statement.execute(arguments: [first, last])
        } else {
            let statement = try db.cachedStatement(
                sql: "INSERT INTO message_search (rowid, content) SELECT row_id, content FROM message WHERE row_id = ?")
            for row in pending { try statement.execute(arguments: [row]) }
        }
    }
}
