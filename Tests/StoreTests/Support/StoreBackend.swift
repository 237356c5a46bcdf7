import ArchiveStore
import Foundation
import PostgresStore
import SQLiteStore
import TestSupport
import Testing

/// A way to make a fresh, empty archive store. The conformance suite runs once per backend in ``all``.
struct StoreBackend: Sendable, CustomTestStringConvertible {
    let name: String
    /// Makes an empty store; `directory` is a fresh temporary directory the store may use.
    let make: @Sendable (_ directory: URL) async throws -> any ArchiveStore
    /// Releases what `make` made outside the directory (a PostgreSQL schema and connections).
    var teardown: @Sendable (any ArchiveStore) async -> Void = { _ in }

    var testDescription: String { name }

    static let sqliteFile = StoreBackend(name: "sqlite-file") { directory in
        try SQLiteArchiveStore(path: directory.appendingPathComponent("archive.sqlite").path)
    }

    static let sqliteMemory = StoreBackend(name: "sqlite-memory") { _ in try SQLiteArchiveStore.inMemory() }

    /// A real PostgreSQL server from `SKALD_TEST_POSTGRES_URL` (start one with `scripts/start-postgres`); each store
    /// gets its own schema, dropped afterwards.
    static let postgres = StoreBackend(
        name: "postgres",
        make: { _ in try await TestPostgres.makeStore() },
        teardown: { store in
            guard let store = store as? PostgresArchiveStore else { return }
            try? await store.dropSchema()
            await store.shutdown()
        })

    /// SQLite always; PostgreSQL when a server is configured, and always under CI (where a missing server then
    /// fails the PostgreSQL tests instead of skipping them).
    static let all: [StoreBackend] = [.sqliteFile, .sqliteMemory] + (TestPostgres.isWanted ? [.postgres] : [])

    /// Runs `body` with a fresh store in a fresh temporary directory, removed afterwards.
    func withStore(_ body: (any ArchiveStore) async throws -> Void) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try await make(directory)
            do {
                try await body(store)
            } catch {
                await teardown(store)
                throw error
            }
            await teardown(store)
        }
    }
}
