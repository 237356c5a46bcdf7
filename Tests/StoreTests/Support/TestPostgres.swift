import ArchiveStore
import Foundation
import PostgresStore
import SkaldConfiguration

/// The PostgreSQL server the tests use: `SKALD_TEST_POSTGRES_URL`, e.g.
/// `postgres://skald:skald@127.0.0.1:55432/skald_test` as printed by `scripts/start-postgres`.
enum TestPostgres {
    static var url: String? {
        ProcessInfo.processInfo.environment["SKALD_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Whether PostgreSQL tests run: when a server is configured, and always under CI.
    static var isWanted: Bool { url != nil || isCI }

    /// A store in a new, uniquely named schema of the test database; `leaseNow` is the time its leases expire
    /// against (the server's clock when `nil`).
    static func makeStore(poolSize: Int = 4, leaseNow: (@Sendable () -> Date)? = nil) async throws
        -> PostgresArchiveStore
    {
        var configuration = try configuration(poolSize: poolSize)
        configuration.leaseNow = leaseNow
        return try await PostgresArchiveStore.connect(configuration)
    }

    /// The configuration of a store in a new, uniquely named schema of the test database.
    static func configuration(poolSize: Int = 4) throws -> PostgresArchiveStore.Configuration {
        guard let url else {
            throw TestPostgresError(
                "SKALD_TEST_POSTGRES_URL is not set; under CI the PostgreSQL tests need it "
                    + "(run scripts/start-postgres and export the URL it prints)")
        }
        guard case .postgres(let location) = try DatabaseLocation(parsing: url) else {
            throw TestPostgresError("SKALD_TEST_POSTGRES_URL is not a postgres:// URL")
        }
        var configuration = PostgresArchiveStore.Configuration(location: location)
        configuration.schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        configuration.poolSize = poolSize
        configuration.connectTimeout = .seconds(5)
        return configuration
    }
}

/// Why the PostgreSQL tests could not run.
struct TestPostgresError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
