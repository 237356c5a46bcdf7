import ArchiveStore
import Foundation
import PostgresStore
import SkaldConfiguration

/// The PostgreSQL server of the tests (`SKALD_TEST_POSTGRES_URL`): each archive in a schema of its own, dropped
/// after the body.
enum ServePostgres {
    static var url: String? {
        ProcessInfo.processInfo.environment["SKALD_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether PostgreSQL tests run: when a server is configured, and always under CI.
    static var isWanted: Bool { url != nil || ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The fixture archive (see ``ServeFixture``) in a new schema, for the body.
    static func withArchive<T>(_ body: (any ArchiveStore) async throws -> T) async throws -> T {
        guard let url, case .postgres(let location) = try DatabaseLocation(parsing: url) else {
            throw ServePostgresError()
        }
        var configuration = PostgresArchiveStore.Configuration(location: location)
        configuration.schema = "serve_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        configuration.poolSize = 2
        configuration.connectTimeout = .seconds(5)
        let store = try await PostgresArchiveStore.connect(configuration)
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

/// `SKALD_TEST_POSTGRES_URL` is missing or not a `postgres://` URL.
struct ServePostgresError: Error, CustomStringConvertible {
    var description: String {
        "SKALD_TEST_POSTGRES_URL must name the tests' PostgreSQL (run scripts/start-postgres and export the URL)"
    }
}
