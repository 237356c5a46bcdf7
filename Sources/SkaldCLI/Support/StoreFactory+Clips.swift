import ArchiveStore
import Bot
import SkaldConfiguration

extension StoreFactory {
    /// Opens an archive that keeps clips, guild settings and jobs (and live events), ready to use (SQLite and
    /// PostgreSQL both do).
    static func openBotReady(_ location: DatabaseLocation) async throws -> any BotStore {
        try await openLiveReady(location)
    }
}
