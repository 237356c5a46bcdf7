import ArchiveStore
import Bot
import SQLiteStore
import SkaldConfiguration

extension StoreFactory {
    /// Opens an archive that keeps clips, guild settings and jobs (and live events), ready to use. These are kept
    /// in SQLite archives only in this version.
    static func openBotReady(_ location: DatabaseLocation) async throws -> any BotStore {
        let store = try await openLiveReady(location)
        guard let bot = store as? any BotStore else {
            await store.close()
            throw ConfigurationError.badValue(
                "clips, guild settings and jobs are kept in SQLite archives only in this version: pass --db sqlite:PATH"
            )
        }
        return bot
    }
}
