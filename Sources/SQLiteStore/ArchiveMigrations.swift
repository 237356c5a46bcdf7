import ArchiveStore
import GRDB

/// The archive schema as GRDB migrations, registered by identifier: ``ArchiveSchema``'s migrations (shared with
/// PostgreSQL) rendered in the SQLite dialect, then the migrations only this backend has (the mirror map). A
/// shipped migration is never edited: change the schema with a new one.
enum ArchiveMigrations {
    /// Every migration, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        for migration in ArchiveSchema.migrations {
            let statements = SchemaDialect.sqlite.statements(for: migration)
            migrator.registerMigration(migration.identifier) { db in
                for statement in statements { try db.execute(sql: statement) }
            }
        }

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

        return migrator
    }
}
