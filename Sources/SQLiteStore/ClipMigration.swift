import GRDB

/// The schema of `skald clips` and `skald bot` (its own migration identifiers, registered after the others).
enum ClipMigration {
    /// Registers `v5-clips` and `v5-bot-state`.
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
        // `skald bot`: per-guild settings with their history, job leases and job runs.
        migrator.registerMigration("v5-bot-state") { db in
            try db.execute(
                sql: """
                    CREATE TABLE guild_settings (
                        guild_id INTEGER PRIMARY KEY,
                        json TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE TABLE guild_settings_change (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        guild_id INTEGER NOT NULL,
                        key TEXT NOT NULL,
                        old_value TEXT,
                        new_value TEXT,
                        changed_at TEXT NOT NULL
                    );
                    CREATE INDEX guild_settings_change_guild ON guild_settings_change (guild_id, id);
                    CREATE TABLE job_lease (
                        job TEXT PRIMARY KEY,
                        holder TEXT NOT NULL,
                        until TEXT NOT NULL
                    );
                    CREATE TABLE job_run (
                        id TEXT PRIMARY KEY NOT NULL,
                        job TEXT NOT NULL,
                        holder TEXT NOT NULL,
                        started_at TEXT NOT NULL,
                        finished_at TEXT,
                        outcome TEXT NOT NULL,
                        detail TEXT
                    );
                    CREATE INDEX job_run_job ON job_run (job, started_at);
                    """)
        }
    }
}
