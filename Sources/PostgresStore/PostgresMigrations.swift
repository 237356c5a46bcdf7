/// The archive schema for PostgreSQL, registered under the same identifiers as the SQLite backend's
/// `ArchiveMigrations` and with the same tables, columns and meaning. A shipped migration is never edited: change
/// the schema with a new one. Applied identifiers are recorded in `skald_migrations`.
///
/// A message is identified by (channel_id, id), never by id alone: a thread started from a message has that
/// message's id, and so does the thread's starter message (type 21), so one id has a row in the parent channel and
/// one in the thread. Every table that refers to a message carries (channel_id, message_id).
///
/// Conventions (identical to SQLite, so both backends hold and return the same values):
/// - snowflakes are `bigint` (the bit pattern of the unsigned id);
/// - instants the store records are `text` in Discord's format (`2026-11-22T10:00:00.000000+00:00`), sortable;
/// - every archived object keeps the JSON Discord sent in a `json` column of type **`json`**, which PostgreSQL
///   stores as the exact text it was given (key order, whitespace, number spelling, duplicate keys all kept)
///   after checking that it is JSON, and which its JSON operators query (`json->>'content'`; cast to `jsonb`
///   for containment). `jsonb` is deliberately not the storage type: it re-orders keys and normalises the text,
///   so the archive would stop being lossless and exports would differ from SQLite's byte for byte.
enum PostgresMigrations {
    /// One migration: its identifier and its statements, run in one transaction.
    struct Migration: Sendable {
        var identifier: String
        var statements: [String]
    }

    /// Columns every guild-structure table shares.
    private static let objectTail = """
        json json NOT NULL,
            first_seen_at text NOT NULL,
            changed_at text NOT NULL,
            updated_at text NOT NULL,
            deleted_at text
        """

    /// Every migration, in order.
    static let all: [Migration] = [
        Migration(
            identifier: "v1-guild-structure",
            statements: [
                """
                CREATE TABLE guild (
                    id bigint PRIMARY KEY,
                    name text,
                    owner_id bigint,
                    icon text,
                    \(objectTail)
                )
                """,
                """
                CREATE TABLE channel (
                    id bigint PRIMARY KEY,
                    guild_id bigint,
                    parent_id bigint,
                    type integer NOT NULL,
                    name text,
                    position integer,
                    is_thread boolean NOT NULL,
                    thread_archived boolean,
                    thread_locked boolean,
                    thread_archive_timestamp text,
                    \(objectTail)
                )
                """,
                "CREATE INDEX channel_guild ON channel (guild_id, id)",
                "CREATE INDEX channel_parent ON channel (parent_id)",
                """
                CREATE TABLE role (
                    id bigint PRIMARY KEY,
                    guild_id bigint NOT NULL,
                    name text NOT NULL,
                    position integer,
                    permissions text,
                    color integer,
                    \(objectTail)
                )
                """,
                "CREATE INDEX role_guild ON role (guild_id, id)",
                """
                CREATE TABLE emoji (
                    id bigint PRIMARY KEY,
                    guild_id bigint NOT NULL,
                    name text,
                    animated boolean,
                    \(objectTail)
                )
                """,
                "CREATE INDEX emoji_guild ON emoji (guild_id, id)",
                """
                CREATE TABLE sticker (
                    id bigint PRIMARY KEY,
                    guild_id bigint NOT NULL,
                    name text NOT NULL,
                    format_type integer,
                    \(objectTail)
                )
                """,
                "CREATE INDEX sticker_guild ON sticker (guild_id, id)",
                """
                CREATE TABLE scheduled_event (
                    id bigint PRIMARY KEY,
                    guild_id bigint NOT NULL,
                    channel_id bigint,
                    name text NOT NULL,
                    status integer,
                    scheduled_start_time text,
                    \(objectTail)
                )
                """,
                "CREATE INDEX scheduled_event_guild ON scheduled_event (guild_id, id)",
                """
                CREATE TABLE object_history (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    kind text NOT NULL,
                    object_id bigint NOT NULL,
                    json json NOT NULL,
                    valid_from text NOT NULL,
                    replaced_at text NOT NULL
                )
                """,
                "CREATE INDEX object_history_object ON object_history (kind, object_id, id)",
            ]),
        Migration(
            identifier: "v1-users",
            statements: [
                """
                CREATE TABLE discord_user (
                    id bigint PRIMARY KEY,
                    username text NOT NULL,
                    global_name text,
                    discriminator text,
                    avatar text,
                    bot boolean,
                    json json NOT NULL,
                    seen_at bigint NOT NULL,
                    first_seen_at text NOT NULL,
                    updated_at text NOT NULL
                )
                """,
                """
                CREATE TABLE member (
                    guild_id bigint NOT NULL,
                    user_id bigint NOT NULL,
                    nick text,
                    joined_at text,
                    json json NOT NULL,
                    first_seen_at text NOT NULL,
                    updated_at text NOT NULL,
                    PRIMARY KEY (guild_id, user_id)
                )
                """,
            ]),
        Migration(
            identifier: "v1-messages",
            statements: [
                """
                CREATE TABLE message (
                    id bigint NOT NULL,
                    channel_id bigint NOT NULL,
                    guild_id bigint,
                    author_id bigint,
                    timestamp text NOT NULL,
                    edited_timestamp text,
                    type integer NOT NULL,
                    flags bigint NOT NULL DEFAULT 0,
                    content text NOT NULL,
                    pinned boolean NOT NULL DEFAULT false,
                    reference_message_id bigint,
                    reference_channel_id bigint,
                    reference_guild_id bigint,
                    json json NOT NULL,
                    archived_at text NOT NULL,
                    updated_at text NOT NULL,
                    deleted_at text,
                    revision_count integer NOT NULL DEFAULT 0,
                    PRIMARY KEY (channel_id, id)
                )
                """,
                "CREATE INDEX message_id ON message (id)",
                "CREATE INDEX message_author ON message (author_id)",
                "CREATE INDEX message_edited ON message (id) WHERE edited_timestamp IS NOT NULL",
                "CREATE INDEX message_deleted ON message (channel_id, id) WHERE deleted_at IS NOT NULL",
                """
                CREATE TABLE message_revision (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    channel_id bigint NOT NULL,
                    message_id bigint NOT NULL,
                    edited_timestamp text,
                    content text NOT NULL,
                    json json NOT NULL,
                    recorded_at text NOT NULL,
                    FOREIGN KEY (channel_id, message_id) REFERENCES message (channel_id, id)
                )
                """,
                "CREATE INDEX message_revision_message ON message_revision (channel_id, message_id, id)",
                """
                CREATE TABLE attachment (
                    id bigint PRIMARY KEY,
                    message_id bigint NOT NULL,
                    channel_id bigint NOT NULL,
                    filename text NOT NULL,
                    size bigint NOT NULL,
                    content_type text,
                    url text NOT NULL,
                    proxy_url text NOT NULL,
                    sha256 text,
                    local_path text,
                    downloaded_at text,
                    download_error text,
                    failed_attempts integer NOT NULL DEFAULT 0,
                    FOREIGN KEY (channel_id, message_id) REFERENCES message (channel_id, id)
                )
                """,
                "CREATE INDEX attachment_message ON attachment (channel_id, message_id)",
                "CREATE INDEX attachment_pending ON attachment (id) WHERE sha256 IS NULL",
                """
                CREATE TABLE reaction (
                    channel_id bigint NOT NULL,
                    message_id bigint NOT NULL,
                    emoji_key text NOT NULL,
                    emoji_id bigint,
                    emoji_name text,
                    count integer NOT NULL,
                    normal_count integer,
                    burst_count integer,
                    PRIMARY KEY (channel_id, message_id, emoji_key),
                    FOREIGN KEY (channel_id, message_id) REFERENCES message (channel_id, id)
                )
                """,
                """
                CREATE TABLE reaction_user (
                    channel_id bigint NOT NULL,
                    message_id bigint NOT NULL,
                    emoji_key text NOT NULL,
                    burst boolean NOT NULL,
                    user_id bigint NOT NULL,
                    PRIMARY KEY (channel_id, message_id, emoji_key, burst, user_id),
                    FOREIGN KEY (channel_id, message_id) REFERENCES message (channel_id, id)
                )
                """,
            ]),
        // Full-text search over the current content: a generated tsvector (the `simple` configuration: lower-cased
        // words, no stemming, no stop words, like SQLite's unicode61 tokenizer) with a GIN index. Being generated,
        // it follows every insert and update of `content` without triggers.
        Migration(
            identifier: "v1-message-search",
            statements: [
                """
                ALTER TABLE message ADD COLUMN search tsvector
                    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, content)) STORED
                """,
                "CREATE INDEX message_search ON message USING gin (search)",
            ]),
        Migration(
            identifier: "v1-checkpoints",
            statements: [
                """
                CREATE TABLE channel_checkpoint (
                    channel_id bigint PRIMARY KEY,
                    guild_id bigint,
                    backfill_complete boolean NOT NULL DEFAULT false,
                    oldest_archived_id bigint,
                    newest_archived_id bigint,
                    backfill_cursor bigint,
                    last_sync_at text,
                    last_recheck_at text,
                    recheck_cursor bigint,
                    updated_at text NOT NULL
                )
                """,
                """
                CREATE TABLE channel_segment (
                    channel_id bigint NOT NULL,
                    low bigint NOT NULL,
                    high bigint NOT NULL,
                    cursor bigint,
                    done boolean NOT NULL DEFAULT false,
                    updated_at text NOT NULL,
                    PRIMARY KEY (channel_id, low)
                )
                """,
            ]),
        Migration(
            identifier: "v1-runs",
            statements: [
                """
                CREATE TABLE run (
                    seq bigint GENERATED ALWAYS AS IDENTITY,
                    id text PRIMARY KEY,
                    command text NOT NULL,
                    started_at text NOT NULL,
                    finished_at text,
                    status text NOT NULL,
                    counts text NOT NULL DEFAULT '{}'
                )
                """,
                "CREATE INDEX run_started ON run (started_at)",
                """
                CREATE TABLE run_issue (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    run_id text NOT NULL REFERENCES run (id),
                    kind text NOT NULL,
                    guild_id bigint,
                    channel_id bigint,
                    reason text NOT NULL,
                    at text NOT NULL
                )
                """,
                "CREATE INDEX run_issue_run ON run_issue (run_id, id)",
            ]),
        // Imported export files (DiscordChatExporter JSON), as in SQLite: messages in the file's own form, the files
        // each message came from, channel headers, and a staging area so a file commits in one transaction.
        Migration(
            identifier: "v2-dce-imports",
            statements: [
                """
                CREATE TABLE imported_message (
                    channel_id bigint NOT NULL,
                    id bigint NOT NULL,
                    guild_id bigint,
                    timestamp text,
                    json json NOT NULL,
                    imported_at text NOT NULL,
                    updated_at text NOT NULL,
                    PRIMARY KEY (channel_id, id)
                )
                """,
                """
                CREATE TABLE message_source (
                    channel_id bigint NOT NULL,
                    message_id bigint NOT NULL,
                    source text NOT NULL,
                    imported_at text NOT NULL,
                    PRIMARY KEY (channel_id, message_id, source)
                )
                """,
                """
                CREATE TABLE imported_channel (
                    channel_id bigint PRIMARY KEY,
                    guild_id bigint,
                    guild_json json NOT NULL,
                    channel_json json NOT NULL,
                    source text NOT NULL,
                    imported_at text NOT NULL
                )
                """,
                """
                CREATE TABLE import_stage (
                    stage text NOT NULL,
                    id bigint NOT NULL,
                    channel_id bigint NOT NULL,
                    guild_id bigint,
                    timestamp text,
                    json json NOT NULL,
                    PRIMARY KEY (stage, channel_id, id)
                )
                """,
            ]),
        // Live capture, as in SQLite: the tombstone's source, the gateway session and guilds left.
        Migration(
            identifier: "v3-live-capture",
            statements: [
                "ALTER TABLE message ADD COLUMN deletion_source text",
                """
                CREATE TABLE gateway_session (
                    key text PRIMARY KEY,
                    session_id text NOT NULL,
                    sequence bigint NOT NULL,
                    resume_url text NOT NULL,
                    updated_at text NOT NULL
                )
                """,
                """
                CREATE TABLE guild_left (
                    guild_id bigint PRIMARY KEY,
                    left_at text NOT NULL
                )
                """,
            ]),
        // Imports merged by later state, as in SQLite: the file's `exportedAt` and the other imported versions.
        Migration(
            identifier: "v5-import-revisions",
            statements: [
                "ALTER TABLE imported_message ADD COLUMN exported_at bigint",
                """
                CREATE TABLE imported_revision (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    channel_id bigint NOT NULL,
                    message_id bigint NOT NULL,
                    json json NOT NULL,
                    exported_at bigint,
                    recorded_at text NOT NULL
                )
                """,
                "CREATE INDEX imported_revision_message ON imported_revision (channel_id, message_id, id)",
            ]),
    ]
}
