import ArchiveStore
import GRDB

/// The archive schema as GRDB migrations, registered by identifier: ``ArchiveSchema``'s migrations (shared with
/// PostgreSQL) rendered in the SQLite dialect. A shipped migration is never edited: change the schema with a new
/// one.
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

        // SQLite only (PostgreSQL keeps every message's JSON whole): see ``MessageAuthors``.
        migrator.registerMigration(MessageAuthors.migration) { db in
            for statement in MessageAuthors.schema { try db.execute(sql: statement) }
        }
        // SQLite only (PostgreSQL's generated tsvector reads its stored column): see ``MessageContentColumn``.
        migrator.registerMigration(MessageContentColumn.migration) { db in
            for statement in MessageContentColumn.schema { try db.execute(sql: statement) }
        }

        // SQLite only (PostgreSQL keeps its table): see ``MessageSources``.
        migrator.registerMigration(MessageSources.migration) { db in
            for statement in MessageSources.schema { try db.execute(sql: statement) }
        }
        // SQLite only: `content` stored again (`v9` cost more CPU than its bytes were worth): see
        // ``StoredMessageContent``.
        migrator.registerMigration(StoredMessageContent.migration) { db in
            for statement in StoredMessageContent.schema { try db.execute(sql: statement) }
        }
        // SQLite only (PostgreSQL indexes an expression): see ``ImportedMessageSearch``.
        migrator.registerMigration(ImportedMessageSearch.migration) { db in
            for statement in ImportedMessageSearch.schema { try db.execute(sql: statement) }
        }
        // SQLite only (PostgreSQL indexes its own expressions): see ``ImportedMessageAuthors``.
        migrator.registerMigration(ImportedMessageAuthors.expressionMigration) { db in
            for statement in ImportedMessageAuthors.expressionSchema { try db.execute(sql: statement) }
        }
        // SQLite only: the expressions above replaced by a column and a table the import fills from the bytes its
        // reader saw (each expression parsed every imported row's JSON once more).
        migrator.registerMigration(ImportedMessageAuthors.migration) { db in
            for statement in ImportedMessageAuthors.schema { try db.execute(sql: statement) }
            try ImportedMessageAuthors.fill(db, rowIDs: Int64.min...Int64.max)
        }
        return migrator
    }
}
