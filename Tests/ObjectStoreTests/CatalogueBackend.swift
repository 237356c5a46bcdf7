import ArchiveStore
import Foundation
import PostgresStore
import SQLiteStore
import TestSupport
import Testing

/// Where a test's store catalogue lives: an in-memory SQLite archive, or a fresh schema of the PostgreSQL server
/// `SKALD_TEST_POSTGRES_URL` names (dropped afterwards). PostgreSQL runs when the URL is set, and always under CI.
struct CatalogueBackend: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () async throws -> any ArchiveStore & ObjectCatalogue

    var testDescription: String { name }

    static let sqlite = CatalogueBackend(name: "sqlite") { try SQLiteArchiveStore.inMemory() }

    static let postgres = CatalogueBackend(name: "postgres") { try await TestPostgres.makeStore(poolSize: 2) }

    static var all: [CatalogueBackend] { [.sqlite] + (TestPostgres.isWanted ? [.postgres] : []) }

    /// Runs `body` with a fresh catalogue, released afterwards (a PostgreSQL schema is dropped).
    func with(_ body: (any ArchiveStore & ObjectCatalogue) async throws -> Void) async throws {
        let store = try await make()
        do {
            try await body(store)
        } catch {
            await Self.release(store)
            throw error
        }
        await Self.release(store)
    }

    private static func release(_ store: any ArchiveStore & ObjectCatalogue) async {
        if let postgres = store as? PostgresArchiveStore { try? await postgres.dropSchema() }
        await store.close()
    }
}
