import GRDB

/// Full-text search over imported messages: `imported_message_search`, an FTS5 table with the archived messages'
/// tokenizer over the `content` of each imported DCE object, keyed by the `imported_message` rowid (its content
/// read through the view `imported_message_text`, since the text lives inside the JSON). The importers feed it a
/// batch at a time (``MessageSearchFeed``); a trigger re-indexes a row whose content a later import replaces.
/// The migration indexes the messages an archive imported before it, so nothing is imported again, and adds the
/// index a newest-first search walks (`imported_message_newest`, by id across channels).
///
/// SQLite only: PostgreSQL indexes the same expression with GIN (`pg-v5-imported-message-search`).
enum ImportedMessageSearch {
    /// The SQLite-only migration that adds and fills the index.
    static let migration = "sqlite-v12-imported-message-search"

    /// An imported row's searchable text (its DCE `content`), on the `imported_message` row in scope.
    static let content = "json_extract(json, '$.content')"

    /// The statements of ``migration``.
    static let schema = [
        "CREATE VIEW imported_message_text (row_id, content) AS SELECT rowid, \(content) FROM imported_message",
        """
        CREATE VIRTUAL TABLE imported_message_search USING fts5 (
            content, content = 'imported_message_text', content_rowid = 'row_id',
            tokenize = 'unicode61 remove_diacritics 2'
        )
        """,
        "INSERT INTO imported_message_search (imported_message_search) VALUES ('rebuild')",
        // Newest first across channels: a search for a common word walks this and probes the index for each row
        // (without it, "the" over 150,000 imported messages sorted them all: 17.7 s; with it 0.09 s).
        "CREATE INDEX imported_message_newest ON imported_message (id, channel_id)",
        """
        CREATE TRIGGER imported_message_search_update AFTER UPDATE OF json ON imported_message
        WHEN json_extract(old.json, '$.content') IS NOT json_extract(new.json, '$.content') BEGIN
            INSERT INTO imported_message_search (imported_message_search, rowid, content)
                VALUES ('delete', old.rowid, json_extract(old.json, '$.content'));
            INSERT INTO imported_message_search (rowid, content)
                VALUES (new.rowid, json_extract(new.json, '$.content'));
        END
        """,
    ]
}
