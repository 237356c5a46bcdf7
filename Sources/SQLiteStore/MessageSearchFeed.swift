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
/// ```swift
/// var search = MessageSearchFeed()
/// try insert.execute(arguments: …); search.inserted(db.lastInsertedRowID)
/// try search.flush(db)
/// ```
struct MessageSearchFeed {
    /// Inserted rows not indexed yet, in insertion order.
    private var pending: [Int64] = []

    /// Notes a row inserted into `message`.
    mutating func inserted(_ rowID: Int64) { pending.append(rowID) }

    /// Whether rows wait to be indexed.
    var isEmpty: Bool { pending.isEmpty }

    /// Indexes the noted rows: one statement for a run of consecutive rowids (the usual case), one per row
    /// otherwise.
    mutating func flush(_ db: Database) throws {
        guard let first = pending.first, let last = pending.last else { return }
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
        pending.removeAll(keepingCapacity: true)
    }
}
