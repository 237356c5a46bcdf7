import ArchiveStore
import Bot
import SQLiteStore
import SkaldConfiguration

extension StoreFactory {
    /// Opens an archive that keeps clips, guild settings and jobs (and live events), ready to use (SQLite and
    /// PostgreSQL both do).
    static func openBotReady(_ location: DatabaseLocation) async throws -> any BotStore {
        let store = try await openLiveReady(location)
        guard let bot = store as? any BotStore else {
            await store.close()
            throw ConfigurationError.badValue(
                "this archive backend keeps no clips, guild settings or jobs: pass --db sqlite:PATH or postgres://…"
            )
        }
        return bot
    }
}
