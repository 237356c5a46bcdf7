import GRDB

/// Which imported files each imported message came from, with each file's name kept once: `import_file` holds a
/// file's name (its path as given to `skald import`) under a small integer, and `message_source_file` one row per
/// message and file with that integer (before, every row repeated the whole path: 166 MB of a 1.1 GB archive of
/// 1M imported messages). `message_source` is a view with the columns it had as a table, so its readers and
/// `migrate-store` (which reads and writes it through ``SQLiteArchiveStore/readRows(of:after:limit:)`` and
/// ``SQLiteArchiveStore/writeRows(_:into:)``; an `INSTEAD OF` trigger takes its inserts) see the same rows.
///
/// SQLite only: PostgreSQL keeps its `message_source` table as it is.
enum MessageSources {
    /// The SQLite-only migration that moves the rows (existing archives keep every row).
    static let migration = "sqlite-v10-message-source-once"

    /// The statements of ``migration``.
    static let schema = [
        "CREATE TABLE import_file (id INTEGER PRIMARY KEY, source TEXT NOT NULL UNIQUE)",
        """
        CREATE TABLE message_source_file (channel_id INTEGER NOT NULL, message_id INTEGER NOT NULL,
            file_id INTEGER NOT NULL REFERENCES import_file (id), imported_at TEXT NOT NULL,
            PRIMARY KEY (channel_id, message_id, file_id)) WITHOUT ROWID
        """,
        "INSERT INTO import_file (source) SELECT DISTINCT source FROM message_source ORDER BY source",
        """
        INSERT INTO message_source_file (channel_id, message_id, file_id, imported_at)
        SELECT s.channel_id, s.message_id, f.id, s.imported_at FROM message_source s JOIN import_file f
            ON f.source = s.source
        """,
        "DROP TABLE message_source",
        """
        CREATE VIEW message_source (channel_id, message_id, source, imported_at) AS
        SELECT s.channel_id, s.message_id, f.source, s.imported_at FROM message_source_file s
            JOIN import_file f ON f.id = s.file_id
        """,
        """
        CREATE TRIGGER message_source_insert INSTEAD OF INSERT ON message_source BEGIN
            INSERT OR IGNORE INTO import_file (source) VALUES (NEW.source);
            INSERT OR IGNORE INTO message_source_file (channel_id, message_id, file_id, imported_at)
            VALUES (NEW.channel_id, NEW.message_id, (SELECT id FROM import_file WHERE source = NEW.source),
                NEW.imported_at);
        END
        """,
    ]

    /// The id of the file named `source` in `import_file`, added if it is new.
    static func fileID(_ source: String, db: Database) throws -> Int64 {
        try db.execute(sql: "INSERT OR IGNORE INTO import_file (source) VALUES (?)", arguments: [source])
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM import_file WHERE source = ?", arguments: [source])
        else { throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "import_file has no row for a source") }
        return id
    }
}
