import ArchiveStore
import Logging
import PostgresNIO

/// Applies ``PostgresMigrations`` under an advisory lock, so several workers starting at once migrate once.
enum PostgresMigrator {
    /// An arbitrary constant naming Skald's migration lock (`pg_advisory_xact_lock`), hashed with the schema's name
    /// so archives in different schemas of one database migrate independently (one stalled client cannot hold up
    /// every other archive on the server).
    static let lockKey: Int64 = 0x736B_616C_645F_6D67

    /// Connects once (so a wrong password or an unreachable server fails at once, not after the pool's retries),
    /// migrates, and disconnects.
    static func migrate(
        configuration: PostgresConnection.Configuration, schema: String?, mustExistAt place: String? = nil,
        logger: Logger
    ) async throws {
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
        do {
            try await migrate(connection: connection, schema: schema, mustExistAt: place, logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Migrates the archive on `connection`; with `place` (where the archive should be, for the message), an
    /// archive that does not exist yet is refused rather than created.
    static func migrate(
        connection: PostgresConnection, schema: String?, mustExistAt place: String? = nil, logger: Logger
    ) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            let schemaName = schema ?? ""
            try await connection.query(
                "SELECT pg_advisory_xact_lock(hashtextextended(\(schemaName), \(lockKey)))", logger: logger)
            if let place {
                // The search path names the schema: a missing schema or table both read as NULL.
                let exists =
                    try await connection.query(
                        "SELECT to_regclass('skald_migrations') IS NOT NULL", logger: logger
                    ).collect().first?.decode(Bool.self) ?? false
                guard exists else {
                    throw ArchiveStoreError.absent(
                        "no Skald archive in \(place): check the database name and ?schema= in --db, or run "
                            + "`skald archive` (or `skald import`) first")
                }
            }
            if let schema {
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(PostgresArchiveStore.quoteIdentifier(schema))"),
                    logger: logger)
            }
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS skald_migrations (
                    seq bigint GENERATED ALWAYS AS IDENTITY,
                    identifier text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, logger: logger)
            let applied = try await connection.query(
                "SELECT identifier FROM skald_migrations ORDER BY seq", logger: logger
            ).collect().map { try $0.decode(String.self) }
            let known = PostgresMigrations.all.map(\.identifier)
            if let unknown = applied.first(where: { !known.contains($0) }) {
                throw ArchiveStoreError.unsupportedSchema(
                    "the archive was written by a newer Skald (unknown migration \(unknown)); upgrade Skald to open it")
            }
            for migration in PostgresMigrations.all where !applied.contains(migration.identifier) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO skald_migrations (identifier) VALUES (\(migration.identifier))", logger: logger)
            }
            try await connection.query(PostgresQuery(unsafeSQL: PostgresArchiveStore.leaseTableSQL), logger: logger)
            try await connection.query(
                PostgresQuery(unsafeSQL: PostgresArchiveStore.rangeLeaseTableSQL), logger: logger)
        }
    }
}
