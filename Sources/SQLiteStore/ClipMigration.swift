import GRDB

/// The schema of `skald clips` and `skald bot` (its own migration identifiers, registered after the others).
enum ClipMigration {
    /// Registers `v5-clips`.
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-clips") { db in
            try db.execute(
                sql: """
                    CREATE TABLE clip (
                        channel_id INTEGER NOT NULL,
                        message_id INTEGER NOT NULL,
                        url TEXT NOT NULL,
                        guild_id INTEGER,
                        author_id INTEGER,
                        kind TEXT NOT NULL,
                        provider TEXT NOT NULL,
                        attachment_id INTEGER,
                        sha256 TEXT,
                        size INTEGER,
                        path TEXT,
                        detected_at TEXT NOT NULL,
                        PRIMARY KEY (channel_id, message_id, url)
                    ) WITHOUT ROWID;
                    CREATE INDEX clip_guild ON clip (guild_id, kind);
                    CREATE TABLE clip_scan (
                        id TEXT PRIMARY KEY NOT NULL,
                        guild_id INTEGER,
                        channel_ids TEXT NOT NULL,
                        since TEXT,
                        started_at TEXT NOT NULL,
                        finished_at TEXT,
                        messages_scanned INTEGER NOT NULL,
                        clips_found INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        error TEXT,
                        cursors TEXT NOT NULL
                    );
                    """)
        }
    }
}
