import ArchiveStore
import Foundation
import PostgresStore
import SQLiteStore
import SkaldConfiguration
import Testing

/// Where a test's store catalogue lives: an in-memory SQLite archive, or a fresh schema of the PostgreSQL server
/// `SKALD_TEST_POSTGRES_URL` names (dropped afterwards). PostgreSQL runs when the URL is set, and always under CI.
struct CatalogueBackend: Sendable, CustomTestStringConvertible {
    let name: String
    let make: @Sendable () async throws -> any ArchiveStore & ObjectCatalogue

    var testDescription: String { name }

    static let sqlite = CatalogueBackend(name: "sqlite") { try SQLiteArchiveStore.inMemory() }

    static let postgres = CatalogueBackend(name: "postgres") {
        let url = ProcessInfo.processInfo.environment["SKALD_TEST_POSTGRES_URL"] ?? ""
        guard case .postgres(let location) = try DatabaseLocation(parsing: url) else {
            throw ObjectStoreTestError("SKALD_TEST_POSTGRES_URL is not a postgres:// URL (scripts/start-postgres)")
        }
        var configuration = PostgresArchiveStore.Configuration(location: location)
        configuration.schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        configuration.poolSize = 2
        configuration.connectTimeout = .seconds(5)
        return try await PostgresArchiveStore.connect(configuration)
    }

    static var all: [CatalogueBackend] {
        let environment = ProcessInfo.processInfo.environment
        let wanted = !(environment["SKALD_TEST_POSTGRES_URL"] ?? "").isEmpty || environment["CI"] == "true"
        return [.sqlite] + (wanted ? [.postgres] : [])
    }

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

/// A test's own failure.
struct ObjectStoreTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
