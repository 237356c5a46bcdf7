import Archive
import ArchiveStore
import PostgresStore
import SQLiteStore
import SkaldConfiguration

/// An archive with every capability a command may ask for. Both backends have them all, so the factory hands out
/// this composition and a command narrows it by type, never by a runtime cast.
typealias CapableArchiveStore = ArchiveStore & LiveCaptureStore & MirrorStore & ClipStore & BotStateStore
    & ObjectCatalogue

extension StoreFactory {
    /// Opens an archive with every capability (live events, mirror progress, clips, bot state, the object
    /// catalogue), ready to use.
    static func openLiveReady(_ location: DatabaseLocation) async throws -> any CapableArchiveStore {
        switch location {
        case .sqlite(let path):
            do {
                return try SQLiteArchiveStore(path: path)
            } catch {
                let cause = CommandFailure.message(for: error) ?? "\(error)"
                throw ConfigurationError.badValue(
                    "cannot open the archive at \(path): \(cause). Check that the folder is writable and the file is "
                        + "a Skald archive.")
            }
        case .postgres(let postgres):
            let store = PostgresArchiveStore(configuration: configuration(postgres))
            do {
                try await store.open()
            } catch {
                await store.close()
                throw ConfigurationError.badValue(
                    "cannot open the PostgreSQL archive \(location): \(error). Check that the server runs and the "
                        + "user, password and database are right.")
            }
            return store
        }
    }
}
