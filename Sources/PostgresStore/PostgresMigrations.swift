import ArchiveStore

/// The archive schema for PostgreSQL: ``ArchiveSchema``'s migrations rendered in the PostgreSQL dialect, under the
/// same identifiers as the SQLite backend, then this backend's own (``ownMigrations``). Applied identifiers are
/// recorded in `skald_migrations`.
enum PostgresMigrations {
    /// One migration: its identifier and its statements, run in one transaction.
    struct Migration: Sendable {
        var identifier: String
        var statements: [String]
    }

    /// Every migration, in order.
    static let all: [Migration] =
        ArchiveSchema.migrations.map { migration in
            Migration(identifier: migration.identifier, statements: SchemaDialect.postgresql.statements(for: migration))
        } + ownMigrations

    /// Migrations of the PostgreSQL backend only (identifiers prefixed `pg-`).
    static let ownMigrations: [Migration] = [
        // The full-text index over an expression instead of a stored tsvector column: the column cost 128 of the
        // ≈ 1,700 bytes a simulator message took (7.5%), and the GIN index is the same. Queries test the same
        // expression (``PostgresArchiveStore/searchVector``), which the index answers. A dropped column frees its
        // bytes in rows written afterwards (or after a `VACUUM FULL`).
        Migration(
            identifier: "pg-v1-search-expression-index",
            statements: [
                "DROP INDEX message_search",
                "ALTER TABLE message DROP COLUMN search",
                "CREATE INDEX message_search ON message USING gin (\(PostgresArchiveStore.searchVector))",
            ]),
        // A message's author object once per distinct object (see ``PostgresMessageAuthors``): rows inserted from
        // then on share it; existing rows keep their whole JSON.
        Migration(identifier: PostgresMessageAuthors.migration, statements: PostgresMessageAuthors.schema),
    ]
}
