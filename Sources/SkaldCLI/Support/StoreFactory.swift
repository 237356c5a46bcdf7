import Archive
import ArchiveStore
import FileSafety
import Foundation
import PostgresStore
import SQLiteStore
import SkaldConfiguration

/// An archive with every capability a command may ask for (live events, mirror progress, clips, bot state, the
/// object catalogue). Both backends have them all, so the factory hands out this composition and a command narrows
/// it by type, never by a runtime cast.
typealias CapableArchiveStore = ArchiveStore & LiveCaptureStore & MirrorStore & ClipStore & BotStateStore
    & ObjectCatalogue

/// Opens the archive a `DatabaseLocation` names.
enum StoreFactory {
    /// The connection pool size of a PostgreSQL archive when the URL gives no `pool_size`.
    static let defaultPoolSize = 8

    /// Opens an archive. A PostgreSQL archive connects and migrates in the background; the first operation
    /// waits for that (use ``openReady(_:)`` to fail at once on an unreachable server).
    static func open(_ location: DatabaseLocation, mustExist: Bool = false) throws -> any CapableArchiveStore {
        switch location {
        case .sqlite(let path):
            do {
                return try SQLiteArchiveStore(path: path)
            } catch let error as ArchiveStoreError where error.storageFull != nil {
                throw error
            } catch {
                let cause = Self.whatIsInTheWay(of: path) ?? CommandFailure.message(for: error) ?? "\(error)"
                throw ConfigurationError.badValue(
                    "cannot open the archive at \(path): \(cause). Check that the folder is writable and the file is "
                        + "a Skald archive.")
            }
        case .postgres(let postgres):
            var configuration = configuration(postgres)
            configuration.mustExist = mustExist
            return PostgresArchiveStore(configuration: configuration)
        }
    }

    /// What the file system has in the way of an SQLite archive at `path` (a folder where the file goes, a file
    /// where one of its folders goes, a folder that cannot be written), in words; nil when nothing is.
    static func whatIsInTheWay(of path: String) -> String? {
        switch FileDestination.kind(at: path) {
        case .folder, .symbolicLink(toFolder: true): "\(path) is a folder, not an archive file"
        case .special: "\(path) is \(FileDestination.Kind.special.phrase), not an archive file"
        case .missing: FileDestination.whyFolderCannotBeCreated(path)
        default: nil
        }
    }

    /// Opens an existing archive for a reading command (`stats`, `export`, `verify`): an SQLite file is opened
    /// read-only (so an archive on a read-only mount can be read) and must exist.
    static func openForReading(_ location: DatabaseLocation) throws -> any ArchiveStore {
        switch location {
        case .sqlite(let path):
            try requireExisting(location)
            do {
                return try SQLiteArchiveStore.openForReading(path: path)
            } catch let error as ArchiveStoreError where error.isUnsupportedOperation {
                throw ConfigurationError.badValue(error.message)
            } catch let error as ArchiveStoreError {
                let cause = Self.whatIsInTheWay(of: path).map { ": \($0)" } ?? error.underlying.map { ": \($0)" } ?? ""
                throw ConfigurationError.badValue("\(error.message)\(cause). Check that --db names a Skald archive")
            }
        case .postgres:
            return try open(location, mustExist: true)
        }
    }

    /// Opens an archive and, for PostgreSQL, waits until it is connected and migrated (`mustExist`: refused when
    /// the database or schema holds no archive yet).
    static func openReady(_ location: DatabaseLocation, mustExist: Bool = false) async throws
        -> any CapableArchiveStore
    {
        let store = try open(location, mustExist: mustExist)
        if case .postgres = location {
            do {
                try await store.open()
            } catch let error as ArchiveStoreError where error.isAbsent {
                await store.close()
                throw ConfigurationError.badValue(error.message)
            } catch {
                await store.close()
                throw ConfigurationError.badValue(
                    "cannot open the PostgreSQL archive \(location): \(error). Check that the server runs and the "
                        + "user, password and database are right.")
            }
        }
        return store
    }

    /// Runs `body` with the archive at `location`, opened as ``openReady(_:)`` does and closed afterwards whether
    /// `body` returns or throws: the one open-and-close bracket of the commands.
    static func withReady<T>(
        _ location: DatabaseLocation, mustExist: Bool = false, _ body: (any CapableArchiveStore) async throws -> T
    ) async throws -> T {
        let store = try await openReady(location, mustExist: mustExist)
        return try await closing(store) { try await body(store) }
    }

    /// Runs `body` with an archive that must exist already, opened and closed as ``withReady(_:_:)`` does: for the
    /// commands that read or add to what was archived (`clips`, the source of `migrate-store`), where a
    /// mistyped path would otherwise become a new, empty archive and an empty answer.
    static func withExisting<T>(
        _ location: DatabaseLocation, _ body: (any CapableArchiveStore) async throws -> T
    ) async throws -> T {
        try requireExisting(location)
        return try await withReady(location, mustExist: true, body)
    }

    /// Throws when `location` is an SQLite file that does not exist.
    static func requireExisting(_ location: DatabaseLocation) throws {
        guard case .sqlite(let path) = location, FileDestination.kind(at: path) == .missing else { return }
        throw ConfigurationError.badValue(
            "no archive at \(path): run `skald archive` (or `skald import`) first, or pass --db")
    }

    /// Runs `body`, then closes `store`, whether `body` returns or throws.
    static func closing<T>(_ store: any ArchiveStore, after body: () async throws -> T) async throws -> T {
        let result: T
        do {
            result = try await body()
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        return result
    }

    /// Closes what a store holds open (PostgreSQL connections); SQLite needs nothing.
    static func close(_ store: any ArchiveStore) async {
        await store.close()
    }

    /// The PostgreSQL store settings of a parsed URL (its `sslmode`, `pool_size` and `schema` included).
    static func configuration(_ location: PostgresLocation) -> PostgresArchiveStore.Configuration {
        PostgresArchiveStore.Configuration(location: location, defaultPoolSize: defaultPoolSize)
    }
}
