/// The indexes that find imported messages by author: `from:` a name reads the ids of the imported authors with that
/// DCE `name` or `nickname` (``SQLiteArchiveStore/importedAuthors(named:)``, one index step per author), and `from:` an id walks that author's
/// imported messages newest first (``SearchRow/author``). Without them each read every imported message (an
/// archive that imported years of exports: the whole table, twice, for every `from:` search). The expressions
/// are the ones the queries write (SQLite uses an index on an expression only for that exact expression); the
/// migration builds them from the rows an archive imported before, so nothing is imported again.
///
/// SQLite only: PostgreSQL indexes its own expressions (`pg-v6-imported-message-authors`).
enum ImportedMessageAuthors {
    /// The SQLite-only migration that adds the indexes.
    static let migration = "sqlite-v13-imported-message-authors"

    /// An imported row's author id (text), as ``SearchRow/author`` reads it.
    static let authorId = "json_extract(json, '$.author.id')"

    /// An imported row's DCE author `name`, lower-cased, as `from:NAME` compares it.
    static let name = "lower(json_extract(json, '$.author.name'))"

    /// An imported row's DCE author `nickname`, lower-cased, as `from:NAME` compares it.
    static let nickname = "lower(json_extract(json, '$.author.nickname'))"

    /// The statements of ``migration``: the author ids of a name (or nickname), in order, so their distinct ids are
    /// read one index step each (``DistinctValueScan``), and an author's messages by id, newest first.
    static let schema = [
        "CREATE INDEX imported_message_author_name ON imported_message (\(name), \(authorId))",
        "CREATE INDEX imported_message_author_nickname ON imported_message (\(nickname), \(authorId))",
        "CREATE INDEX imported_message_author ON imported_message (\(authorId), id)",
    ]
}
