import ArchiveStore
import Foundation
import PostgresStore
import TestSupport

/// The fixture archive on the tests' PostgreSQL (``TestPostgres``): each in a schema of its own, dropped after the
/// body.
enum ServePostgres {
    /// Whether PostgreSQL tests run: when a server is configured, and always under CI.
    static var isWanted: Bool { TestPostgres.isWanted }

    /// The fixture archive (see ``ServeFixture``) in a new schema, for the body.
    static func withArchive<T>(_ body: (any ArchiveStore) async throws -> T) async throws -> T {
        let store = try await PostgresArchiveStore.connect(
            try TestPostgres.configuration(schemaPrefix: "serve_", poolSize: 2))
        do {
            try await ServeFixture.fill(store)
            let result = try await body(store)
            try await store.dropSchema()
            await store.shutdown()
            return result
        } catch {
            try? await store.dropSchema()
            await store.shutdown()
            throw error
        }
    }
}
