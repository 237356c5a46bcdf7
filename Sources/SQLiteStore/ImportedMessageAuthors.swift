import GRDB

/// What finds imported messages by author: `from:` a name reads the ids of the imported authors with that DCE `name`
/// or `nickname` (``SQLiteArchiveStore/importedAuthors(named:)``: the table `imported_author`, one index range), and
/// `from:` an id walks that author's imported messages newest first (``SearchRow/author``: the column
/// `imported_message.author_id` and its index). Without them each read every imported message (an archive that
/// imported years of exports: the whole table, twice, for every `from:` search).
///
/// The first shape (``expressionMigration``, shipped at stop 27) indexed three expressions over each row's JSON:
/// every imported message then had its JSON parsed once per index, which made the import of 1,000,000 messages
/// 7.5 CPU s dearer (20 → 12.5 CPU s with the three indexes dropped). ``migration`` replaces them by a column the
/// import binds from the author bytes its reader saw, and a table of the (lower-cased name, author id) pairs every
/// import has seen, written once per distinct author object. Every other writer fills both from the JSON
/// (``fill(_:rowIDs:chunk:)``: the staged import, `migrate-store`, a row the import could not give an author id), and a
/// trigger follows a merge that replaces a row's JSON.
///
/// SQLite only: PostgreSQL indexes its own expressions (`pg-v6-imported-message-authors`).
enum ImportedMessageAuthors {
    /// The SQLite-only migration that added the expression indexes (stop 27); ``migration`` drops them.
    static let expressionMigration = "sqlite-v13-imported-message-authors"

    /// The SQLite-only migration that adds the author column, the author table and its trigger.
    static let migration = "sqlite-v14-imported-message-author-column"

    /// An imported row's author id (text), as the expression indexes of ``expressionMigration`` read it.
    static let authorId = "json_extract(json, '$.author.id')"

    /// An imported row's DCE author `name`, lower-cased, as the expression indexes of ``expressionMigration`` read it.
    static let name = "lower(json_extract(json, '$.author.name'))"

    /// An imported row's DCE author `nickname`, lower-cased, as the expression indexes of ``expressionMigration``
    /// read it.
    static let nickname = "lower(json_extract(json, '$.author.nickname'))"

    /// The statements of ``expressionMigration`` (shipped: never edited).
    static let expressionSchema = [
        "CREATE INDEX imported_message_author_name ON imported_message (\(name), \(authorId))",
        "CREATE INDEX imported_message_author_nickname ON imported_message (\(nickname), \(authorId))",
        "CREATE INDEX imported_message_author ON imported_message (\(authorId), id)",
    ]

    /// Records the author names of the author object at `path` of the JSON `json` (an SQL expression) in
    /// `imported_author`: its lower-cased `name` and `nickname`, each with its `id`, once. The one statement every
    /// writer of names runs: the trigger, ``fill(_:rowIDs:chunk:)`` (`from` names the rows) and the import (the author's
    /// bytes bound as `?1`).
    static func recordNames(json: String, path: String, from rows: String = "") -> String {
        let id = "json_extract(\(json), '\(path).id')"
        return """
            INSERT OR IGNORE INTO imported_author (name, author_id)
            SELECT name, author_id FROM (
                SELECT lower(json_extract(\(json), '\(path).name')) AS name, \(id) AS author_id \(rows)
                UNION ALL SELECT lower(json_extract(\(json), '\(path).nickname')), \(id) \(rows))
            WHERE name IS NOT NULL AND author_id IS NOT NULL
            """
    }

    /// Sets the author id of the row `new` from its JSON, and records its author's names.
    private static let fillFromJSON = """
        UPDATE imported_message SET author_id = json_extract(new.json, '$.author.id') WHERE rowid = new.rowid;
        \(recordNames(json: "new.json", path: "$.author"));
        """

    /// The rows ``fill(_:rowIDs:chunk:)`` reads, with rowids from `?1` to `?2`. `+author_id`: found by the rowid range,
    /// never by `imported_message_author`, whose NULL entries are every row not filled yet (walking them for each
    /// chunk made the fill quadratic: 16,500 messages without an author took 27 s in a debug build).
    static let unfilledRows = "FROM imported_message WHERE rowid BETWEEN ?1 AND ?2 AND +author_id IS NULL"

    /// Fills the author column and records the names of the imported rows with rowids in `rowIDs` that have no
    /// author id yet, from their JSON: what every writer but the direct import's fast path runs after inserting
    /// (the staged import, `migrate-store`, a row whose author the import's reader did not see). Not a trigger: an
    /// insert trigger that writes makes SQLite journal every page each insert touches (a statement journal), which
    /// cost the 1M import more than the expression indexes did. `chunk` rowids a statement.
    static func fill(_ db: Database, rowIDs: ClosedRange<Int64>, chunk: Int64 = 10_000) throws {
        let bounds = try Row.fetchOne(
            db, sql: "SELECT min(rowid) AS first, max(rowid) AS last FROM imported_message WHERE rowid BETWEEN ? AND ?",
            arguments: [rowIDs.lowerBound, rowIDs.upperBound])
        guard let first: Int64 = bounds?["first"], let last: Int64 = bounds?["last"] else { return }
        // A statement at a time over at most `chunk` rowids (at least 1): each statement's journal (the pages it
        // changed, kept in memory: `temp_store`) is dropped when it ends. One UPDATE over the 1M rows of an archive that imported
        // them before this migration held 1.1 GB.
        let rows = unfilledRows
        let names = try db.cachedStatement(sql: recordNames(json: "json", path: "$.author", from: rows))
        let ids = try db.cachedStatement(
            sql: """
                UPDATE imported_message SET author_id = json_extract(json, '$.author.id')
                WHERE rowid BETWEEN ?1 AND ?2 AND +author_id IS NULL
                """)
        let chunk = max(1, chunk)
        var start = first
        while true {
            let (far, overflow) = start.addingReportingOverflow(chunk - 1)
            let end = overflow || far >= last ? last : far
            // Names first: the rows still have no author id.
            try names.execute(arguments: [start, end])
            try ids.execute(arguments: [start, end])
            guard end < last else { return }
            start = end + 1
        }
    }

    /// The statements of ``migration`` (then ``fill(_:rowIDs:chunk:)`` over every row): the column, indexed with the message
    /// id (newest first), the table of names, the expression indexes dropped, and the trigger that keeps a row's
    /// author when a later import replaces its JSON (updates are few: one per message that changed).
    static let schema = [
        "ALTER TABLE imported_message ADD COLUMN author_id TEXT",
        """
        CREATE TABLE imported_author (name TEXT NOT NULL, author_id TEXT NOT NULL, PRIMARY KEY (name, author_id))
        WITHOUT ROWID
        """,
        "DROP INDEX imported_message_author_name",
        "DROP INDEX imported_message_author_nickname",
        "DROP INDEX imported_message_author",
        "CREATE INDEX imported_message_author ON imported_message (author_id, id)",
        """
        CREATE TRIGGER imported_message_author_update AFTER UPDATE OF json ON imported_message BEGIN
        \(fillFromJSON)
        END
        """,
    ]
}
