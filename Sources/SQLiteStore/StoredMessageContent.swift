/// SQLite only: a message row's `content` is stored in its own column again, undoing
/// ``MessageContentColumn``'s generated column (`sqlite-v9-message-content-from-json`).
///
/// Read from the JSON, the column cost a `json_extract` of the whole message wherever it was read: the full-text
/// feed, the writer's stored versions, every search's `has:link`, and the staging that avoided the first of those
/// cost a temporary-table insert per archived message. Measured interleaved on an idle machine, `v9` and its
/// staged feed cost ≈ 2.3 CPU s per 1M archived messages (≈ 9%) for ≈ 60 bytes a message (5%), while the archive
/// is 1.12–1.18× the raw JSON either way (target ≤ 1.3×). The writer binds the text the scanner already decoded,
/// and the full-text index is fed from the stored column once per group (``MessageSearchFeed``).
///
/// The full-text index keeps its entries: the values it indexed are the ones the stored column now holds.
enum StoredMessageContent {
    /// The SQLite-only migration that stores the column again.
    static let migration = "sqlite-v11-message-content-stored"

    /// The statements of ``migration``. `DROP COLUMN` refuses a column a trigger names, so the two full-text
    /// triggers are dropped first; dropping a virtual column rewrites no row, filling the new one rewrites each row
    /// with content once. The triggers are then those of `v7-message-search-fed-by-writer` (an edit of `content`
    /// re-indexes its row; a deleted row leaves the index).
    static let schema = [
        "DROP TRIGGER message_search_update",
        "DROP TRIGGER message_search_delete",
        "ALTER TABLE message DROP COLUMN content",
        "ALTER TABLE message ADD COLUMN content TEXT NOT NULL DEFAULT ''",
        """
        UPDATE message SET content = json_extract(json, '$.content')
        WHERE coalesce(json_extract(json, '$.content'), '') <> ''
        """,
        """
        CREATE TRIGGER message_search_update AFTER UPDATE OF content ON message
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
