/// SQLite only: a message row's `content` is read from its JSON instead of being stored a second time beside it.
///
/// `message.content` becomes a virtual generated column (`json_extract(json, '$.content')`, the empty text when the
/// JSON has none): the text is kept once, in the JSON, and every reader (`SELECT content`, the full-text index's
/// external content, the update trigger, `migrate-store`) sees the same value as before. The JSON a row keeps with
/// its author replaced by `null` (``MessageAuthors``) still holds the content. Writers no longer name the column.
///
/// The content was ≈ 60 of the ≈ 1,210 bytes an archived message costs (5%). The full-text index is fed from the
/// rows as before (``MessageSearchFeed``); its update trigger now fires on updates of `json`.
///
/// PostgreSQL keeps its `content` column: its generated `tsvector` is computed from it.
///
/// Superseded by ``StoredMessageContent`` (`sqlite-v11-message-content-stored`), which stores the column again; this
/// migration stays in the list, so archives of every version migrate the same way.
enum MessageContentColumn {
    /// The SQLite-only migration that turns the stored column into a generated one.
    static let migration = "sqlite-v9-message-content-from-json"

    /// The value of the generated column.
    static let expression = "coalesce(json_extract(json, '$.content'), '')"

    /// The statements of ``migration``. `DROP COLUMN` refuses a column a trigger names, so the two full-text
    /// triggers are dropped first and made again over the generated column (SQLite rewrites every row once).
    static let schema = [
        "DROP TRIGGER message_search_update",
        "DROP TRIGGER message_search_delete",
        "ALTER TABLE message DROP COLUMN content",
        "ALTER TABLE message ADD COLUMN content TEXT NOT NULL GENERATED ALWAYS AS (\(expression)) VIRTUAL",
        """
        CREATE TRIGGER message_search_update AFTER UPDATE OF json ON message
        WHEN old.content IS NOT new.content BEGIN
            INSERT INTO message_search (message_search, rowid, content)
                VALUES ('delete', old.row_id, old.content);
            INSERT INTO message_search (rowid, content) VALUES (new.row_id, new.content);
        END
        """,
        """
        CREATE TRIGGER message_search_delete AFTER DELETE ON message BEGIN
            INSERT INTO message_search (message_search, rowid, content)
                VALUES ('delete', old.row_id, old.content);
        END
        """,
    ]
}
