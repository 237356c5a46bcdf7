import ArchiveStore
import SQLiteStore
import SkaldConfiguration

extension StoreFactory {
    /// Opens an archive that keeps clips (and live events), ready to use. Clips are kept in SQLite archives only
    /// in this version.
    static func openClipReady(_ location: DatabaseLocation) async throws
        -> any ArchiveStore & LiveCaptureStore & ClipStore
    {
        let store = try await openLiveReady(location)
        guard let clips = store as? any ArchiveStore & LiveCaptureStore & ClipStore else {
            await store.close()
            throw ConfigurationError.badValue(
                "clips are kept in SQLite archives only in this version: pass --db sqlite:PATH")
        }
        return clips
    }
}
