import GRDB

/// The schema of `skald store`'s catalogue (one table, one migration with its own identifier).
enum ObjectCatalogueMigration {
    /// Registers `v3-object-store`.
    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-object-store") { db in
            try db.execute(
                sql: """
                    CREATE TABLE store_object (
                        object_id TEXT PRIMARY KEY NOT NULL,
                        archive_id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        channel_id TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        source_path TEXT,
                        manifest TEXT NOT NULL,
                        manifest_message_id TEXT,
                        created_at TEXT NOT NULL
                    );
                    CREATE INDEX store_object_name ON store_object (name);
                    """)
        }
    }
}
