import GRDB

/// The archive schema as GRDB migrations, registered by identifier. A shipped migration is never edited: change
/// the schema with a new one. (None has shipped yet: the message-identity change edited them in place.) The SQL is
/// written out (no application types), and the PostgreSQL backend mirrors the same identifiers.
///
/// Conventions: snowflakes are `INTEGER` (signed 64-bit, bit pattern of the unsigned id); instants the store
/// records are `TEXT` in Discord's format (`2026-11-22T10:00:00.000000+00:00`, sortable); every archived object
/// keeps the exact JSON Discord sent in `json TEXT`.
enum ArchiveMigrations {
    /// Every migration, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        // Guild structure: current versions, plus the previous versions of meaningful changes.
        migrator.registerMigration("v1-guild-structure") { db in
            try db.execute(
                sql: """
                    CREATE TABLE guild (
                        id INTEGER PRIMARY KEY,
                        name TEXT,
                        owner_id INTEGER,
                        icon TEXT,
                        json TEXT NOT NULL,
                        first_seen_at TEXT NOT NULL,
                        changed_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        deleted_at TEXT
                    );
                    CREATE TABLE channel (
                        id INTEGER PRIMARY KEY,
                        guild_id INTEGER,
                        parent_id INTEGER,
                        type INTEGER NOT NULL,
                        name TEXT,
                        position INTEGER,
                        is_thread INTEGER NOT NULL,
                        thread_archived INTEGER,
                        thread_locked INTEGER,
                        thread_archive_timestamp TEXT,
                        json TEXT NOT NULL,
                        first_seen_at TEXT NOT NULL,
                        changed_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        deleted_at TEXT
                    );
                    CREATE INDEX channel_guild ON channel (guild_id, id);
                    CREATE INDEX channel_parent ON channel (parent_id);
                    CREATE TABLE role (
                        id INTEGER PRIMARY KEY,
                        guild_id INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        position INTEGER,
                        permissions TEXT,
                        color INTEGER,
                        json TEXT NOT NULL,
                        first_seen_at TEXT NOT NULL,
                        changed_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        deleted_at TEXT
                    );
                    CREATE INDEX role_guild ON role (guild_id, id);
                    CREATE TABLE emoji (
                        id INTEGER PRIMARY KEY,
                        guild_id INTEGER NOT NULL,
                        name TEXT,
                        animated INTEGER,
                        json TEXT NOT NULL,
                        first_seen_at TEXT NOT NULL,
                        changed_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        deleted_at TEXT
                    );
                    CREATE INDEX emoji_guild ON emoji (guild_id, id);
                    CREATE TABLE sticker (
                        id INTEGER PRIMARY KEY,
                        guild_id INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        format_type INTEGER,
                        json TEXT NOT NULL,
                        first_seen_at TEXT NOT NULL,
                        changed_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        deleted_at TEXT
                    );
                    CREATE INDEX sticker_guild ON sticker (guild_id, id);
                    CREATE TABLE scheduled_event (
                        id INTEGER PRIMARY KEY,
                        guild_id INTEGER NOT NULL,
                        channel_id INTEGER,
                        name TEXT NOT NULL,
                        status INTEGER,
                        scheduled_start_time TEXT,
                        json TEXT NOT NULL,
                        first_seen_at TEXT NOT NULL,
                        changed_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        deleted_at TEXT
                    );
                    CREATE INDEX scheduled_event_guild ON scheduled_event (guild_id, id);
                    CREATE TABLE object_history (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL,
                        object_id INTEGER NOT NULL,
                        json TEXT NOT NULL,
                        valid_from TEXT NOT NULL,
                        replaced_at TEXT NOT NULL
                    );
                    CREATE INDEX object_history_object ON object_history (kind, object_id, id);
                    """)
        }

        // Users seen anywhere and guild members. `seen_at` orders sightings: the id of the message that showed the
        // profile, or a snowflake made from the observation time; the latest sighting's profile is kept.
        migrator.registerMigration("v1-users") { db in
            try db.execute(
                sql: """
                    CREATE TABLE discord_user (
                        id INTEGER PRIMARY KEY,
                        username TEXT NOT NULL,
                        global_name TEXT,
                        discriminator TEXT,
                        avatar TEXT,
                        bot INTEGER,
                        json TEXT NOT NULL,
                        seen_at INTEGER NOT NULL,
                        first_seen_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE TABLE member (
                        guild_id INTEGER NOT NULL,
                        user_id INTEGER NOT NULL,
                        nick TEXT,
                        joined_at TEXT,
                        json TEXT NOT NULL,
                        first_seen_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (guild_id, user_id)
                    ) WITHOUT ROWID;
                    """)
        }

        // Messages, their revisions, attachments (with media download state) and reactions.
        //
        // A message is identified by (channel_id, id), never by id alone: a thread started from a message has that
        // message's id, and the thread's first message (type 21, THREAD_STARTER_MESSAGE) has the same id too, so one
        // id has a row in the parent channel and one in the thread. `row_id` is a stable rowid alias for the
        // full-text index only; every table that refers to a message carries (channel_id, message_id).
        migrator.registerMigration("v1-messages") { db in
            try db.execute(
                sql: """
                    CREATE TABLE message (
                        row_id INTEGER PRIMARY KEY,
                        id INTEGER NOT NULL,
                        channel_id INTEGER NOT NULL,
                        guild_id INTEGER,
                        author_id INTEGER,
                        timestamp TEXT NOT NULL,
                        edited_timestamp TEXT,
                        type INTEGER NOT NULL,
                        flags INTEGER NOT NULL DEFAULT 0,
                        content TEXT NOT NULL,
                        pinned INTEGER NOT NULL DEFAULT 0,
                        reference_message_id INTEGER,
                        reference_channel_id INTEGER,
                        reference_guild_id INTEGER,
                        json TEXT NOT NULL,
                        archived_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        deleted_at TEXT,
                        revision_count INTEGER NOT NULL DEFAULT 0,
                        UNIQUE (channel_id, id)
                    );
                    CREATE INDEX message_id ON message (id);
                    CREATE INDEX message_author ON message (author_id);
                    CREATE INDEX message_edited ON message (id) WHERE edited_timestamp IS NOT NULL;
                    CREATE INDEX message_deleted ON message (channel_id, id) WHERE deleted_at IS NOT NULL;
                    CREATE TABLE message_revision (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        channel_id INTEGER NOT NULL,
                        message_id INTEGER NOT NULL,
                        edited_timestamp TEXT,
                        content TEXT NOT NULL,
                        json TEXT NOT NULL,
                        recorded_at TEXT NOT NULL,
                        FOREIGN KEY (channel_id, message_id) REFERENCES message (channel_id, id)
                    );
                    CREATE INDEX message_revision_message ON message_revision (channel_id, message_id, id);
                    CREATE TABLE attachment (
                        id INTEGER PRIMARY KEY,
                        message_id INTEGER NOT NULL,
                        channel_id INTEGER NOT NULL,
                        filename TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        content_type TEXT,
                        url TEXT NOT NULL,
                        proxy_url TEXT NOT NULL,
                        sha256 TEXT,
                        local_path TEXT,
                        downloaded_at TEXT,
                        download_error TEXT,
                        failed_attempts INTEGER NOT NULL DEFAULT 0,
                        FOREIGN KEY (channel_id, message_id) REFERENCES message (channel_id, id)
                    );
                    CREATE INDEX attachment_message ON attachment (channel_id, message_id);
                    CREATE INDEX attachment_pending ON attachment (id) WHERE sha256 IS NULL;
                    CREATE TABLE reaction (
                        channel_id INTEGER NOT NULL,
                        message_id INTEGER NOT NULL,
                        emoji_key TEXT NOT NULL,
                        emoji_id INTEGER,
                        emoji_name TEXT,
                        count INTEGER NOT NULL,
                        normal_count INTEGER,
                        burst_count INTEGER,
                        PRIMARY KEY (channel_id, message_id, emoji_key),
                        FOREIGN KEY (channel_id, message_id) REFERENCES message (channel_id, id)
                    ) WITHOUT ROWID;
                    CREATE TABLE reaction_user (
                        channel_id INTEGER NOT NULL,
                        message_id INTEGER NOT NULL,
                        emoji_key TEXT NOT NULL,
                        burst INTEGER NOT NULL,
                        user_id INTEGER NOT NULL,
                        PRIMARY KEY (channel_id, message_id, emoji_key, burst, user_id),
                        FOREIGN KEY (channel_id, message_id) REFERENCES message (channel_id, id)
                    ) WITHOUT ROWID;
                    """)
        }

        // Full-text search over the current content of messages, kept in sync by triggers. Keyed by the stable
        // `message.row_id` (a message id alone is not unique, see "v1-messages").
        migrator.registerMigration("v1-message-search") { db in
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE message_search USING fts5 (
                        content, content = 'message', content_rowid = 'row_id',
                        tokenize = 'unicode61 remove_diacritics 2'
                    );
                    CREATE TRIGGER message_search_insert AFTER INSERT ON message BEGIN
                        INSERT INTO message_search (rowid, content) VALUES (new.row_id, new.content);
                    END;
                    CREATE TRIGGER message_search_update AFTER UPDATE OF content ON message BEGIN
                        INSERT INTO message_search (message_search, rowid, content)
                            VALUES ('delete', old.row_id, old.content);
                        INSERT INTO message_search (rowid, content) VALUES (new.row_id, new.content);
                    END;
                    CREATE TRIGGER message_search_delete AFTER DELETE ON message BEGIN
                        INSERT INTO message_search (message_search, rowid, content)
                            VALUES ('delete', old.row_id, old.content);
                    END;
                    """)
        }

        // Per-channel progress: checkpoint and parallel-backfill segments.
        migrator.registerMigration("v1-checkpoints") { db in
            try db.execute(
                sql: """
                    CREATE TABLE channel_checkpoint (
                        channel_id INTEGER PRIMARY KEY,
                        guild_id INTEGER,
                        backfill_complete INTEGER NOT NULL DEFAULT 0,
                        oldest_archived_id INTEGER,
                        newest_archived_id INTEGER,
                        backfill_cursor INTEGER,
                        last_sync_at TEXT,
                        last_recheck_at TEXT,
                        recheck_cursor INTEGER,
                        updated_at TEXT NOT NULL
                    );
                    CREATE TABLE channel_segment (
                        channel_id INTEGER NOT NULL,
                        low INTEGER NOT NULL,
                        high INTEGER NOT NULL,
                        cursor INTEGER,
                        done INTEGER NOT NULL DEFAULT 0,
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (channel_id, low)
                    ) WITHOUT ROWID;
                    """)
        }

        // Run log for `skald stats` and run summaries.
        migrator.registerMigration("v1-runs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE run (
                        id TEXT PRIMARY KEY,
                        command TEXT NOT NULL,
                        started_at TEXT NOT NULL,
                        finished_at TEXT,
                        status TEXT NOT NULL,
                        counts TEXT NOT NULL DEFAULT '{}'
                    );
                    CREATE INDEX run_started ON run (started_at);
                    CREATE TABLE run_issue (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        run_id TEXT NOT NULL REFERENCES run (id),
                        kind TEXT NOT NULL,
                        guild_id INTEGER,
                        channel_id INTEGER,
                        reason TEXT NOT NULL,
                        at TEXT NOT NULL
                    );
                    CREATE INDEX run_issue_run ON run_issue (run_id, id);
                    """)
        }

        // Imported export files (DiscordChatExporter JSON): messages in the file's own form, the files each message
        // came from, channel headers, and a staging area so a file commits in one transaction or not at all. Imported
        // messages are identified by (channel_id, id) like archived ones (a thread's starter message shares its id
        // with the parent channel's message).
        migrator.registerMigration("v2-dce-imports") { db in
            try db.execute(
                sql: """
                    CREATE TABLE imported_message (
                        channel_id INTEGER NOT NULL,
                        id INTEGER NOT NULL,
                        guild_id INTEGER,
                        timestamp TEXT,
                        json TEXT NOT NULL,
                        imported_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (channel_id, id)
                    );
                    CREATE TABLE message_source (
                        channel_id INTEGER NOT NULL,
                        message_id INTEGER NOT NULL,
                        source TEXT NOT NULL,
                        imported_at TEXT NOT NULL,
                        PRIMARY KEY (channel_id, message_id, source)
                    ) WITHOUT ROWID;
                    CREATE TABLE imported_channel (
                        channel_id INTEGER PRIMARY KEY,
                        guild_id INTEGER,
                        guild_json TEXT NOT NULL,
                        channel_json TEXT NOT NULL,
                        source TEXT NOT NULL,
                        imported_at TEXT NOT NULL
                    );
                    CREATE TABLE import_stage (
                        stage TEXT NOT NULL,
                        id INTEGER NOT NULL,
                        channel_id INTEGER NOT NULL,
                        guild_id INTEGER,
                        timestamp TEXT,
                        json TEXT NOT NULL,
                        PRIMARY KEY (stage, channel_id, id)
                    ) WITHOUT ROWID;
                    """)
        }

        // Live capture (`skald watch`): where a tombstone came from, the gateway session committed with the events
        // it covers, and guilds the bot was removed from.
        migrator.registerMigration("v3-live-capture") { db in
            try db.execute(
                sql: """
                    ALTER TABLE message ADD COLUMN deletion_source TEXT;
                    CREATE TABLE gateway_session (
                        key TEXT PRIMARY KEY,
                        session_id TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        resume_url TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE TABLE guild_left (
                        guild_id INTEGER PRIMARY KEY,
                        left_at TEXT NOT NULL
                    );
                    """)
        }

        ObjectCatalogueMigration.register(in: &migrator)

        // `skald mirror`: every source id -> target id a mirror write made (see MirrorStore).
        migrator.registerMigration("v4-mirror-map") { db in
            try db.execute(
                sql: """
                    CREATE TABLE mirror_map (
                        target TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        source_id INTEGER NOT NULL,
                        part INTEGER NOT NULL,
                        target_id INTEGER NOT NULL,
                        extra TEXT,
                        created_at TEXT NOT NULL,
                        PRIMARY KEY (target, kind, source_id, part)
                    ) WITHOUT ROWID;
                    """)
        }

        // Imports merged by later state (ImportedMessageMerge): the `exportedAt` of the file a stored version came
        // from, and the other versions of an imported message.
        migrator.registerMigration("v5-import-revisions") { db in
            try db.execute(
                sql: """
                    ALTER TABLE imported_message ADD COLUMN exported_at INTEGER;
                    CREATE TABLE imported_revision (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        channel_id INTEGER NOT NULL,
                        message_id INTEGER NOT NULL,
                        json TEXT NOT NULL,
                        exported_at INTEGER,
                        recorded_at TEXT NOT NULL
                    );
                    CREATE INDEX imported_revision_message ON imported_revision (channel_id, message_id, id);
                    """)
        }

        return migrator
    }
}
