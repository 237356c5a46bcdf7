import GRDB

/// Adds inserted message rows to a full-text index in as few statements as possible, inside the inserting
/// transaction: archived rows to `message_search` (an external-content FTS5 table over `message.content`), imported
/// ones to `imported_message_search` (over the `content` of their DCE JSON: see ``ImportedMessageSearch``).
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
    /// Which table's rows are indexed.
    enum Index {
        /// `message` rows into `message_search`.
        case archived
        /// `imported_message` rows into `imported_message_search`.
        case imported

        /// The rows with rowids in a range (`?` and `?`), as the index takes them.
        var rangeSQL: String {
            switch self {
            case .archived:
                "INSERT INTO message_search (rowid, content) SELECT row_id, content FROM message "
                    + "WHERE row_id BETWEEN ? AND ?"
            case .imported:
                "INSERT INTO imported_message_search (rowid, content) SELECT rowid, \(ImportedMessageSearch.content) "
                    + "FROM imported_message WHERE rowid BETWEEN ? AND ?"
            }
        }
    }

    /// The index fed.
    let index: Index
    /// Inserted rows not indexed yet, in insertion order.
    private var pending: [Int64] = []
    /// The pending rows' content as JSON strings, comma-separated, while every pending row came with it (see
    /// ``inserted(_:content:)``); `nil` once one came without.
    private var contents: [UInt8]? = []

    /// A feed of `index` (archived messages by default).
    init(_ index: Index = .archived) { self.index = index }

    /// Notes a row inserted into the indexed table.
    mutating func inserted(_ rowID: Int64) {
        pending.append(rowID)
        contents = nil
    }

    /// Notes an imported row inserted with its `content`: the bytes of a JSON string, which must be what the row's
    /// ``ImportedMessageSearch/content`` reads (the import's reader gives the member's bytes as written in the
    /// row's JSON). When every pending row came with its content, ``flush(_:)`` indexes them from these, without
    /// parsing each row's JSON again (0.8 µs a message).
    mutating func inserted(_ rowID: Int64, content: UnsafeRawBufferPointer) {
        pending.append(rowID)
        guard contents != nil else { return }
        if pending.count > 1 { contents?.append(UInt8(ascii: ",")) }
        contents?.append(contentsOf: content)
    }

    /// Whether rows wait to be indexed.
    var isEmpty: Bool { pending.isEmpty }

    /// How many rows wait to be indexed.
    var count: Int { pending.count }

    /// Indexes the noted rows: one statement for a run of consecutive rowids (the usual case), one per row
    /// otherwise.
    mutating func flush(_ db: Database) throws {
        guard let first = pending.first, let last = pending.last else { return }
        defer {
            pending.removeAll(keepingCapacity: true)
            contents = []
        }
        let consecutive =
            last - first + 1 == Int64(pending.count) && zip(pending, pending.dropFirst()).allSatisfy { $0 + 1 == $1 }
        if consecutive, index == .imported, var contents {
            // The n-th string of the array is the content of row `first + n`.
            contents.insert(UInt8(ascii: "["), at: 0)
            contents.append(UInt8(ascii: "]"))
            let statement = try db.cachedStatement(
                sql: "INSERT INTO imported_message_search (rowid, content) SELECT ? + key, value FROM json_each(?)")
            try statement.execute(arguments: [first, String(decoding: contents, as: UTF8.self)])
            return
        }
        let statement = try db.cachedStatement(sql: index.rangeSQL)
        if consecutive {
            try statement.execute(arguments: [first, last])
        } else {
            for row in pending { try statement.execute(arguments: [row, row]) }
        }
    }
}
