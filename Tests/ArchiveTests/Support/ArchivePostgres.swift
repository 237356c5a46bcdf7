import Foundation
import PostgresStore
import SkaldConfiguration

/// The PostgreSQL server of the worker tests: `SKALD_TEST_POSTGRES_URL` (see `scripts/start-postgres`); under
/// CI=true the tests run (and fail) without it.
enum ArchivePostgres {
    static var url: String? {
        ProcessInfo.processInfo.environment["SKALD_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var isWanted: Bool { url != nil || ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Settings for a new, uniquely named schema of the test database.
    static func freshConfiguration() throws -> PostgresArchiveStore.Configuration {
        guard let url, case .postgres(let location) = try DatabaseLocation(parsing: url) else {
            throw ArchivePostgresError(description: "SKALD_TEST_POSTGRES_URL is not set to a postgres:// URL")
        }
        var configuration = PostgresArchiveStore.Configuration(location: location)
        configuration.schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        configuration.poolSize = 6
        return configuration
    }
}

struct ArchivePostgresError: Error, CustomStringConvertible {
    var description: String
}
