/// The archive schema every backend holds, described once as data and rendered per ``SchemaDialect``: the same
/// migration identifiers, tables, columns and meaning in SQLite and PostgreSQL. A shipped migration is never
/// edited: change the schema with a new one. The description uses no application types (GRDB's rule for
/// migrations), only names, column kinds and literals.
///
/// Conventions (so both backends hold and return the same values):
/// - snowflakes are 64-bit integers (the bit pattern of the unsigned id);
/// - instants the store records are text in Discord's format (`2026-11-22T10:00:00.000000+00:00`), sortable;
/// - every archived object keeps the exact JSON Discord sent in a `json` column (see ``SchemaDialect``).
///
/// A message is identified by (channel_id, id), never by id alone: a thread started from a message has that
/// message's id, and the thread's first message (type 21, THREAD_STARTER_MESSAGE) has the same id too, so one id
/// has a row in the parent channel and one in the thread. Every table that refers to a message carries
/// (channel_id, message_id).
public enum ArchiveSchema {
    /// The migrations both backends apply, in order. A backend may register migrations of its own after them.
    public static let migrations: [SchemaMigration] = [
        guildStructure, users, messages, messageSearch, checkpoints, runs, dceImports, liveCapture, objectStore,
        mirrorMap,
        importRevisions,
        clips, botState,
        messageAuthorNewest,
        messageSearchFedByWriter,
        clipPending,
        messagePinnedAt,
        memberLeftAt,
    ]

    /// The columns every guild-structure table ends with.
    private static let objectTail: [SchemaColumn] = [
        .required("json", .json), .required("first_seen_at", .text), .required("changed_at", .text),
        .required("updated_at", .text), .optional("deleted_at", .text),
    ]

    /// The reference every table that belongs to a message carries.
    private static let toMessage = SchemaForeignKey(
        ["channel_id", "message_id"], references: "message", ["channel_id", "id"])

    /// Guild structure: current versions, plus the previous versions of meaningful changes.
    static let guildStructure = SchemaMigration(
        "v1-guild-structure",
        [
            .table(
                SchemaTable(
                    "guild", primaryKey: ["id"],
                    columns: [
                        .optional("id", .snowflake), .optional("name", .text), .optional("owner_id", .snowflake),
                        .optional("icon", .text),
                    ] + objectTail)),
            .table(
                SchemaTable(
                    "channel", primaryKey: ["id"],
                    columns: [
                        .optional("id", .snowflake), .optional("guild_id", .snowflake),
                        .optional("parent_id", .snowflake), .required("type", .integer), .optional("name", .text),
                        .optional("position", .integer), .required("is_thread", .boolean),
                        .optional("thread_archived", .boolean), .optional("thread_locked", .boolean),
                        .optional("thread_archive_timestamp", .text),
                    ] + objectTail)),
            .index(SchemaIndex("channel_guild", on: "channel", ["guild_id", "id"])),
            .index(SchemaIndex("channel_parent", on: "channel", ["parent_id"])),
            .table(
                SchemaTable(
                    "role", primaryKey: ["id"],
                    columns: [
                        .optional("id", .snowflake), .required("guild_id", .snowflake), .required("name", .text),
                        .optional("position", .integer), .optional("permissions", .text),
                        .optional("color", .integer),
                    ] + objectTail)),
            .index(SchemaIndex("role_guild", on: "role", ["guild_id", "id"])),
            .table(
                SchemaTable(
                    "emoji", primaryKey: ["id"],
                    columns: [
                        .optional("id", .snowflake), .required("guild_id", .snowflake), .optional("name", .text),
                        .optional("animated", .boolean),
                    ] + objectTail)),
            .index(SchemaIndex("emoji_guild", on: "emoji", ["guild_id", "id"])),
            .table(
                SchemaTable(
                    "sticker", primaryKey: ["id"],
                    columns: [
                        .optional("id", .snowflake), .required("guild_id", .snowflake), .required("name", .text),
                        .optional("format_type", .integer),
                    ] + objectTail)),
            .index(SchemaIndex("sticker_guild", on: "sticker", ["guild_id", "id"])),
            .table(
                SchemaTable(
                    "scheduled_event", primaryKey: ["id"],
                    columns: [
                        .optional("id", .snowflake), .required("guild_id", .snowflake),
                        .optional("channel_id", .snowflake), .required("name", .text), .optional("status", .integer),
                        .optional("scheduled_start_time", .text),
                    ] + objectTail)),
            .index(SchemaIndex("scheduled_event_guild", on: "scheduled_event", ["guild_id", "id"])),
            .table(
                SchemaTable(
                    "object_history",
                    columns: [
                        .required("id", .identity), .required("kind", .text), .required("object_id", .snowflake),
                        .required("json", .json), .required("valid_from", .text), .required("replaced_at", .text),
                    ])),
            .index(SchemaIndex("object_history_object", on: "object_history", ["kind", "object_id", "id"])),
        ])

    /// Users seen anywhere and guild members. `seen_at` orders sightings: the id of the message that showed the
    /// profile, or a snowflake made from the observation time; the latest sighting's profile is kept.
    static let users = SchemaMigration(
        "v1-users",
        [
            .table(
                SchemaTable(
                    "discord_user", primaryKey: ["id"],
                    columns: [
                        .optional("id", .snowflake), .required("username", .text), .optional("global_name", .text),
                        .optional("discriminator", .text), .optional("avatar", .text), .optional("bot", .boolean),
                        .required("json", .json), .required("seen_at", .bigInteger),
                        .required("first_seen_at", .text), .required("updated_at", .text),
                    ])),
            .table(
                SchemaTable(
                    "member", primaryKey: ["guild_id", "user_id"],
                    columns: [
                        .required("guild_id", .snowflake), .required("user_id", .snowflake),
                        .optional("nick", .text), .optional("joined_at", .text), .required("json", .json),
                        .required("first_seen_at", .text), .required("updated_at", .text),
                    ], sqliteWithoutRowID: true)),
        ])

    /// Messages, their revisions, attachments (with media download state) and reactions. In SQLite `row_id` is a
    /// stable rowid alias for the full-text index only.
    static let messages = SchemaMigration(
        "v1-messages",
        [
            .table(
                SchemaTable(
                    "message", primaryKey: ["channel_id", "id"],
                    columns: [
                        .required("id", .snowflake), .required("channel_id", .snowflake),
                        .optional("guild_id", .snowflake), .optional("author_id", .snowflake),
                        .required("timestamp", .text), .optional("edited_timestamp", .text),
                        .required("type", .integer), .required("flags", .bigInteger, default: .integer(0)),
                        .required("content", .text), .required("pinned", .boolean, default: .boolean(false)),
                        .optional("reference_message_id", .snowflake), .optional("reference_channel_id", .snowflake),
                        .optional("reference_guild_id", .snowflake), .required("json", .json),
                        .required("archived_at", .text), .required("updated_at", .text),
                        .optional("deleted_at", .text), .required("revision_count", .integer, default: .integer(0)),
                    ], sqliteRowIDAlias: "row_id")),
            .index(SchemaIndex("message_id", on: "message", ["id"])),
            .index(SchemaIndex("message_author", on: "message", ["author_id"])),
            .index(SchemaIndex("message_edited", on: "message", ["id"], where: "edited_timestamp IS NOT NULL")),
            .index(
                SchemaIndex("message_deleted", on: "message", ["channel_id", "id"], where: "deleted_at IS NOT NULL")),
            .table(
                SchemaTable(
                    "message_revision",
                    columns: [
                        .required("id", .identity), .required("channel_id", .snowflake),
                        .required("message_id", .snowflake), .optional("edited_timestamp", .text),
                        .required("content", .text), .required("json", .json), .required("recorded_at", .text),
                    ], foreignKeys: [toMessage])),
            .index(
                SchemaIndex("message_revision_message", on: "message_revision", ["channel_id", "message_id", "id"])),
            .table(
                SchemaTable(
                    "attachment", primaryKey: ["id"],
                    columns: [
                        .optional("id", .snowflake), .required("message_id", .snowflake),
                        .required("channel_id", .snowflake), .required("filename", .text),
                        .required("size", .bigInteger), .optional("content_type", .text), .required("url", .text),
                        .required("proxy_url", .text), .optional("sha256", .text), .optional("local_path", .text),
                        .optional("downloaded_at", .text), .optional("download_error", .text),
                        .required("failed_attempts", .integer, default: .integer(0)),
                    ], foreignKeys: [toMessage])),
            .index(SchemaIndex("attachment_message", on: "attachment", ["channel_id", "message_id"])),
            .index(SchemaIndex("attachment_pending", on: "attachment", ["id"], where: "sha256 IS NULL")),
            .table(
                SchemaTable(
                    "reaction", primaryKey: ["channel_id", "message_id", "emoji_key"],
                    columns: [
                        .required("channel_id", .snowflake), .required("message_id", .snowflake),
                        .required("emoji_key", .text), .optional("emoji_id", .snowflake),
                        .optional("emoji_name", .text), .required("count", .integer),
                        .optional("normal_count", .integer), .optional("burst_count", .integer),
                    ], foreignKeys: [toMessage], sqliteWithoutRowID: true)),
            .table(
                SchemaTable(
                    "reaction_user", primaryKey: ["channel_id", "message_id", "emoji_key", "burst", "user_id"],
                    columns: [
                        .required("channel_id", .snowflake), .required("message_id", .snowflake),
                        .required("emoji_key", .text), .required("burst", .boolean), .required("user_id", .snowflake),
                    ], foreignKeys: [toMessage], sqliteWithoutRowID: true)),
        ])

    /// Full-text search over the current content of messages. SQLite: an FTS5 table kept in sync by triggers, keyed
    /// by the stable `message.row_id`. PostgreSQL: a generated tsvector (the `simple` configuration: lower-cased
    /// words, no stemming, no stop words, like SQLite's unicode61 tokenizer) with a GIN index; being generated, it
    /// follows every insert and update of `content` without triggers.
    static let messageSearch = SchemaMigration(
        "v1-message-search",
        [
            .dialectSpecific(
                sqlite: [
                    """
                    CREATE VIRTUAL TABLE message_search USING fts5 (
                        content, content = 'message', content_rowid = 'row_id',
                        tokenize = 'unicode61 remove_diacritics 2'
                    )
                    """,
                    """
                    CREATE TRIGGER message_search_insert AFTER INSERT ON message BEGIN
                        INSERT INTO message_search (rowid, content) VALUES (new.row_id, new.content);
                    END
                    """,
                    """
                    CREATE TRIGGER message_search_update AFTER UPDATE OF content ON message BEGIN
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
                ],
                postgresql: [
                    """
                    ALTER TABLE message ADD COLUMN search tsvector
                        GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, content)) STORED
                    """,
                    "CREATE INDEX message_search ON message USING gin (search)",
                ])
        ])

    /// Per-channel progress: checkpoint and parallel-backfill segments.
    static let checkpoints = SchemaMigration(
        "v1-checkpoints",
        [
            .table(
                SchemaTable(
                    "channel_checkpoint", primaryKey: ["channel_id"],
                    columns: [
                        .optional("channel_id", .snowflake), .optional("guild_id", .snowflake),
                        .required("backfill_complete", .boolean, default: .boolean(false)),
                        .optional("oldest_archived_id", .snowflake), .optional("newest_archived_id", .snowflake),
                        .optional("backfill_cursor", .snowflake), .optional("last_sync_at", .text),
                        .optional("last_recheck_at", .text), .optional("recheck_cursor", .snowflake),
                        .required("updated_at", .text),
                    ])),
            .table(
                SchemaTable(
                    "channel_segment", primaryKey: ["channel_id", "low"],
                    columns: [
                        .required("channel_id", .snowflake), .required("low", .snowflake),
                        .required("high", .snowflake), .optional("cursor", .snowflake),
                        .required("done", .boolean, default: .boolean(false)), .required("updated_at", .text),
                    ], sqliteWithoutRowID: true)),
        ])

    /// Run log for `skald stats` and run summaries; PostgreSQL numbers runs in insertion order (`seq`) as SQLite's
    /// rowid does.
    static let runs = SchemaMigration(
        "v1-runs",
        [
            .table(
                SchemaTable(
                    "run", primaryKey: ["id"],
                    columns: [
                        .optional("id", .text), .required("command", .text), .required("started_at", .text),
                        .optional("finished_at", .text), .required("status", .text),
                        .required("counts", .text, default: .text("{}")),
                    ], postgresInsertionOrder: "seq")),
            .index(SchemaIndex("run_started", on: "run", ["started_at"])),
            .table(
                SchemaTable(
                    "run_issue",
                    columns: [
                        .required("id", .identity), .required("run_id", .text), .required("kind", .text),
                        .optional("guild_id", .snowflake), .optional("channel_id", .snowflake),
                        .required("reason", .text), .required("at", .text),
                    ], foreignKeys: [SchemaForeignKey(["run_id"], references: "run", ["id"])])),
            .index(SchemaIndex("run_issue_run", on: "run_issue", ["run_id", "id"])),
        ])

    /// Imported export files (DiscordChatExporter JSON): messages in the file's own form, the files each message
    /// came from, channel headers, and a staging area so a file commits in one transaction or not at all. Imported
    /// messages are identified by (channel_id, id) like archived ones.
    static let dceImports = SchemaMigration(
        "v2-dce-imports",
        [
            .table(
                SchemaTable(
                    "imported_message", primaryKey: ["channel_id", "id"],
                    columns: [
                        .required("channel_id", .snowflake), .required("id", .snowflake),
                        .optional("guild_id", .snowflake), .optional("timestamp", .text), .required("json", .json),
                        .required("imported_at", .text), .required("updated_at", .text),
                    ])),
            .table(
                SchemaTable(
                    "message_source", primaryKey: ["channel_id", "message_id", "source"],
                    columns: [
                        .required("channel_id", .snowflake), .required("message_id", .snowflake),
                        .required("source", .text), .required("imported_at", .text),
                    ], sqliteWithoutRowID: true)),
            .table(
                SchemaTable(
                    "imported_channel", primaryKey: ["channel_id"],
                    columns: [
                        .optional("channel_id", .snowflake), .optional("guild_id", .snowflake),
                        .required("guild_json", .json), .required("channel_json", .json),
                        .required("source", .text), .required("imported_at", .text),
                    ])),
            .table(
                SchemaTable(
                    "import_stage", primaryKey: ["stage", "channel_id", "id"],
                    columns: [
                        .required("stage", .text), .required("id", .snowflake), .required("channel_id", .snowflake),
                        .optional("guild_id", .snowflake), .optional("timestamp", .text), .required("json", .json),
                    ], sqliteWithoutRowID: true)),
        ])

    /// Live capture (`skald watch`): where a tombstone came from, the gateway session committed with the events it
    /// covers, and guilds the bot was removed from.
    static let liveCapture = SchemaMigration(
        "v3-live-capture",
        [
            .addColumn(table: "message", .optional("deletion_source", .text)),
            .table(
                SchemaTable(
                    "gateway_session", primaryKey: ["key"],
                    columns: [
                        .optional("key", .text), .required("session_id", .text), .required("sequence", .bigInteger),
                        .required("resume_url", .text), .required("updated_at", .text),
                    ])),
            .table(
                SchemaTable(
                    "guild_left", primaryKey: ["guild_id"],
                    columns: [.optional("guild_id", .snowflake), .required("left_at", .text)])),
        ])

    /// `skald store`'s catalogue: one row per stored object, its manifest and where the manifest message is.
    /// (SQLite archives made before the schema was shared hold the same table with `object_id` also `NOT NULL`.)
    static let objectStore = SchemaMigration(
        "v3-object-store",
        [
            .table(
                SchemaTable(
                    "store_object", primaryKey: ["object_id"],
                    columns: [
                        .required("object_id", .text), .required("archive_id", .text), .required("name", .text),
                        .required("channel_id", .text), .required("size", .bigInteger), .required("state", .text),
                        .optional("source_path", .text), .required("manifest", .text),
                        .optional("manifest_message_id", .text), .required("created_at", .text),
                    ])),
            .index(SchemaIndex("store_object_name", on: "store_object", ["name"])),
        ])

    /// `skald mirror`: every source id -> target id a mirror write made (see `MirrorStore`), so a rerun resumes.
    static let mirrorMap = SchemaMigration(
        "v4-mirror-map",
        [
            .table(
                SchemaTable(
                    "mirror_map", primaryKey: ["target", "kind", "source_id", "part"],
                    columns: [
                        .required("target", .text), .required("kind", .text), .required("source_id", .snowflake),
                        .required("part", .integer), .required("target_id", .snowflake), .optional("extra", .text),
                        .required("created_at", .text),
                    ], sqliteWithoutRowID: true))
        ])

    /// Imports merged by later state (`ImportedMessageMerge`): the `exportedAt` of the file a stored version came
    /// from, and the other versions of an imported message.
    static let importRevisions = SchemaMigration(
        "v5-import-revisions",
        [
            .addColumn(table: "imported_message", .optional("exported_at", .bigInteger)),
            .table(
                SchemaTable(
                    "imported_revision",
                    columns: [
                        .required("id", .identity), .required("channel_id", .snowflake),
                        .required("message_id", .snowflake), .required("json", .json),
                        .optional("exported_at", .bigInteger), .required("recorded_at", .text),
                    ])),
            .index(
                SchemaIndex("imported_revision_message", on: "imported_revision", ["channel_id", "message_id", "id"])),
        ])

    /// A search by author (`from:`) walks that author's messages newest first and stops at its page: the author
    /// index carries the message id (an `author_id`-only index made SQLite read and sort every message of the
    /// author, ~100 ms for a prolific author of a 1M-message archive).
    static let messageAuthorNewest = SchemaMigration(
        "v6-message-author-newest",
        [
            .dialectSpecific(sqlite: ["DROP INDEX message_author"], postgresql: ["DROP INDEX message_author"]),
            .index(SchemaIndex("message_author", on: "message", ["author_id", "id"])),
        ])

    /// SQLite: the full-text index is fed by the message writer, one statement per transaction, instead of by a
    /// trigger per inserted row. FTS5 flushes its pending terms to a new segment at every statement savepoint, and
    /// the trigger made each `INSERT INTO message` such a statement: one segment (and its merges) per message, half
    /// of the archive's CPU. A content update re-indexes the row only when the content changed. PostgreSQL: only a
    /// comment (its generated tsvector follows every write).
    static let messageSearchFedByWriter = SchemaMigration(
        "v7-message-search-fed-by-writer",
        [
            .dialectSpecific(
                sqlite: [
                    "DROP TRIGGER message_search_insert",
                    "DROP TRIGGER message_search_update",
                    """
                    CREATE TRIGGER message_search_update AFTER UPDATE OF content ON message
                    WHEN old.content IS NOT new.content BEGIN
                        INSERT INTO message_search (message_search, rowid, content)
                            VALUES ('delete', old.row_id, old.content);
                        INSERT INTO message_search (rowid, content) VALUES (new.row_id, new.content);
                    END
                    """,
                ],
                postgresql: [
                    "COMMENT ON COLUMN message.search IS 'full-text index of content, generated: follows every write'"
                ])
        ])

    /// When a pinned message was pinned (`pinned_at` of the pins route), as live capture last read it from that
    /// route after a CHANNEL_PINS_UPDATE; null when unknown (a backfill reads messages, whose JSON says only
    /// `pinned`) or not pinned.
    static let messagePinnedAt = SchemaMigration(
        "v9-message-pinned-at", [.addColumn(table: "message", .optional("pinned_at", .text))])

    /// When a member left the guild (GUILD_MEMBER_REMOVE seen live: a leave, kick or ban); null while a member. The
    /// row stays, like a deleted channel's (`deleted_at`): messages keep their author's member profile, and the
    /// served member list leaves it out. A later join, or a listing that holds the member again, clears it.
    static let memberLeftAt = SchemaMigration(
        "v10-member-left-at", [.addColumn(table: "member", .optional("left_at", .text))])
}
