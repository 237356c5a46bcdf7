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
        // The foreign keys from a message's attachments, reactions, reaction users and revisions to the message: the
        // server checked each inserted row against the message's primary key and locked the message row (`FOR KEY
        // SHARE`) at the end of every statement, ≈ 3.8 of its ≈ 36 CPU seconds per 1M messages archived (measured
        // by inserting a bench archive's 47,000 attachment and reaction rows per 100,000 messages with and without
        // the keys). Nothing can leave such a row without its message: the page writer adds them after the message
        // in the same transaction (``PostgresPageBatch``), the reaction users' writer checks the message first, and
        // no message row is ever deleted. SQLite keeps its keys.
        Migration(
            identifier: "pg-v3-message-children-unchecked",
            statements: [
                "ALTER TABLE attachment DROP CONSTRAINT IF EXISTS attachment_channel_id_message_id_fkey",
                "ALTER TABLE reaction DROP CONSTRAINT IF EXISTS reaction_channel_id_message_id_fkey",
                "ALTER TABLE reaction_user DROP CONSTRAINT IF EXISTS reaction_user_channel_id_message_id_fkey",
                "ALTER TABLE message_revision DROP CONSTRAINT IF EXISTS message_revision_channel_id_message_id_fkey",
            ]),
        // A message's JSON as `text` instead of `json`: the `json` type stores the same text but checks it on every
        // insert and update (`json_in`, ≈ 3.7 of the server's ≈ 21 CPU seconds per 1M message rows inserted: the
        // rows of a bench archive inserted into a copy of the table with either type). The writer checks each page's
        // JSON before it is written (``MessagePagePlanner/validate(_:)``) and `migrate-store` casts what it copies
        // to `json`; the few queries that look inside it (the `has:` and `author_type:` filters) cast it. The
        // column's type changes in place: existing archives rewrite the table (and rebuild its indexes) once.
        Migration(
            identifier: "pg-v4-message-json-text", statements: ["ALTER TABLE message ALTER COLUMN json TYPE text"]),
        // Imported messages searchable as archived ones are (`skald serve`): a GIN index over their DCE `content`
        // and the id index a newest-first search walks, built from the rows an archive imported before (nothing is
        // imported again), kept by every insert after.
        Migration(
            identifier: "pg-v5-imported-message-search",
            statements: [
                "CREATE INDEX imported_message_search ON imported_message USING gin "
                    + "(\(PostgresArchiveStore.importedSearchVector))",
                // Newest first across channels: what a search for a common word walks (as on SQLite).
                "CREATE INDEX imported_message_newest ON imported_message (id, channel_id)",
            ]),
        // Imported messages by author: `from:NAME` reads the ids of the authors with that DCE `name` or `nickname`
        // (one index step per author: ``DistinctValueScan``), `from:ID` walks the author's messages newest first; without these each read every imported message. The
        // expressions are the ones the queries write (``PostgresArchiveStore/importedAuthors(named:)``,
        // ``PostgresArchiveStore/appendFilters(_:before:within:text:row:to:)``).
        Migration(
            identifier: "pg-v6-imported-message-authors",
            statements: [
                "CREATE INDEX imported_message_author_name ON imported_message "
                    + "((lower(json->'author'->>'name')), (json->'author'->>'id'))",
                "CREATE INDEX imported_message_author_nickname ON imported_message "
                    + "((lower(json->'author'->>'nickname')), (json->'author'->>'id'))",
                "CREATE INDEX imported_message_author ON imported_message ((json->'author'->>'id'), id)",
            ]),
    ]
}
