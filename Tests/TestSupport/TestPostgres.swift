import Foundation
import PostgresStore
import SkaldConfiguration

/// The PostgreSQL server every test target uses: `SKALD_TEST_POSTGRES_URL`, e.g.
/// `postgres://skald:skald@127.0.0.1:55432/skald_test` as printed by `scripts/start-postgres`. The PostgreSQL
/// tests run when it is set and always under `CI=true`, where a missing URL fails them instead of skipping them.
public enum TestPostgres {
    /// The server's URL, if one is configured.
    public static var url: String? {
        ProcessInfo.processInfo.environment["SKALD_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Running under CI (`CI=true`).
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Whether PostgreSQL tests run: when a server is configured, and always under CI.
    public static var isWanted: Bool { url != nil || isCI }

    /// The server's URL, or an error saying how to get one (under CI, where the tests run without it).
    public static func requiredURL() throws -> String {
        guard let url else {
            throw TestPostgresError(
                "SKALD_TEST_POSTGRES_URL is not set; under CI the PostgreSQL tests need it "
                    + "(run scripts/start-postgres and export the URL it prints)")
        }
        return url
    }

    /// Where the server is.
    public static func location() throws -> PostgresLocation {
        guard case .postgres(let location) = try DatabaseLocation(parsing: try requiredURL()) else {
            throw TestPostgresError("SKALD_TEST_POSTGRES_URL is not a postgres:// URL")
        }
        return location
    }

    /// A new schema name, unique to the caller: `prefix` and a random suffix.
    public static func freshSchema(prefix: String = "test_") -> String {
        prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// The configuration of a store in a new, uniquely named schema of the test database.
    public static func configuration(schemaPrefix: String = "test_", poolSize: Int = 4) throws
        -> PostgresArchiveStore.Configuration
    {
        var configuration = PostgresArchiveStore.Configuration(location: try location())
        configuration.schema = freshSchema(prefix: schemaPrefix)
        configuration.poolSize = poolSize
        configuration.connectTimeout = TestDeadline.connect
        return configuration
    }

    /// A store in a new, uniquely named schema of the test database; `leaseNow` is the time its leases expire
    /// against (the server's clock when `nil`).
    public static func makeStore(
        schemaPrefix: String = "test_", poolSize: Int = 4, leaseNow: (@Sendable () -> Date)? = nil
    ) async throws -> PostgresArchiveStore {
        var configuration = try configuration(schemaPrefix: schemaPrefix, poolSize: poolSize)
        configuration.leaseNow = leaseNow
        return try await PostgresArchiveStore.connect(configuration)
    }
}

/// Why the PostgreSQL tests could not run.
public struct TestPostgresError: Error, CustomStringConvertible {
    /// What is missing and how to provide it.
    public var description: String
    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
