import Archive
import ArchiveStore
import Foundation
import PostgresStore
import SQLiteStore

/// Opens the archive a `DatabaseLocation` names.
enum StoreFactory {
    /// The connection pool size of a PostgreSQL archive when the URL gives no `pool_size`.
    static let defaultPoolSize = 8

    /// Opens an archive. A PostgreSQL archive connects and migrates in the background; the first operation
    /// waits for that (use ``openReady(_:)`` to fail at once on an unreachable server).
    static func open(_ location: DatabaseLocation) throws -> any ArchiveStore {
        switch location {
        case .sqlite(let path):
            do {
                return try SQLiteArchiveStore(path: path)
            } catch {
                throw ConfigurationError.badValue(
                    "cannot open the archive at \(path): \(error). Check that the folder is writable and the file "
                        + "is a Skald archive.")
            }
        case .postgres(let postgres):
            return PostgresArchiveStore(configuration: try configuration(postgres))
        }
    }

    /// Opens an archive and, for PostgreSQL, waits until it is connected and migrated.
    static func openReady(_ location: DatabaseLocation) async throws -> any ArchiveStore {
        let store = try open(location)
        if case .postgres = location {
            do {
                try await store.open()
            } catch {
                await store.close()
                throw ConfigurationError.badValue(
                    "cannot open the PostgreSQL archive \(location): \(error). Check that the server runs and the "
                        + "user, password and database are right.")
            }
        }
        return store
    }

    /// Closes what a store holds open (PostgreSQL connections); SQLite needs nothing.
    static func close(_ store: any ArchiveStore) async {
        await store.close()
    }

    /// The PostgreSQL store settings of a URL: `sslmode`, `pool_size` and `schema` query parameters are honoured.
    static func configuration(_ location: PostgresLocation) throws -> PostgresArchiveStore.Configuration {
        var configuration = PostgresArchiveStore.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database)
        configuration.poolSize = defaultPoolSize
        if let size = location.options["pool_size"] {
            guard let value = Int(size), (1...256).contains(value) else {
                throw ConfigurationError.badValue("pool_size=\(size) in the database URL must be 1...256")
            }
            configuration.poolSize = value
        }
        if let mode = location.options["sslmode"] {
            switch mode {
            case "disable", "allow": configuration.tls = .disable
            case "prefer": configuration.tls = .prefer
            case "require", "verify-ca", "verify-full": configuration.tls = .require
            default: throw ConfigurationError.badValue("sslmode=\(mode) in the database URL is not known")
            }
        }
        if let schema = location.options["schema"], !schema.isEmpty { configuration.schema = schema }
        return configuration
    }
}
