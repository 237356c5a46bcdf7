/// How an archive is opened, migrated and closed, whatever the backend: SQLite opens and migrates in its
/// initializer; PostgreSQL connects and migrates in the background, and ``open()`` waits for it.
///
/// ```swift
/// let store = PostgresArchiveStore(configuration: configuration)
/// try await store.open()   // fails at once on an unreachable server or a newer schema
/// try await store.storeMessagePage(page)
/// await store.close()
/// ```
public protocol StoreLifecycle: Sendable {
    /// Waits until the archive is open and migrated to the current schema; calling it again does nothing.
    /// - Throws: ``ArchiveStoreError/database(_:underlying:)`` when the database cannot be reached,
    ///   ``ArchiveStoreError/unsupportedSchema(_:)`` when a newer Skald wrote it.
    func open() async throws

    /// The migration identifiers applied to the database, in order.
    func appliedMigrations() async throws -> [String]

    /// Releases what the store holds open (connections). The store cannot be used afterwards.
    func close() async
}
