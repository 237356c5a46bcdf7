import ArchiveStore

/// The archive schema for PostgreSQL: ``ArchiveSchema``'s migrations rendered in the PostgreSQL dialect, under the
/// same identifiers as the SQLite backend. Applied identifiers are recorded in `skald_migrations`.
enum PostgresMigrations {
    /// One migration: its identifier and its statements, run in one transaction.
    struct Migration: Sendable {
        var identifier: String
        var statements: [String]
    }

    /// Every migration, in order.
    static let all: [Migration] = ArchiveSchema.migrations.map { migration in
        Migration(identifier: migration.identifier, statements: SchemaDialect.postgresql.statements(for: migration))
    }
}
