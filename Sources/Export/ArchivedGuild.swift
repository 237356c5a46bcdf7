import ArchiveStore
import DiscordModels

/// The check that a guild an export names is one the archive knows: archived (its object or its channels) or
/// imported (a DCE file's guild). Without it, an unknown or mistyped id exports nothing and reports success.
enum ArchivedGuild {
    /// Throws ``ExportError`` (missing) when the archive holds nothing of `guild`.
    static func require(_ guild: Snowflake<Guild>, in store: any ArchiveStore) async throws {
        if try await store.object(.guild, id: AnySnowflake(guild.rawValue)) != nil { return }
        if try await !store.channels(in: guild).isEmpty { return }
        if try await store.importedChannels().contains(where: { $0.guildId == guild }) { return }
        throw ExportError.missing(
            "guild \(guild) is not in the archive (neither archived nor imported): check the id and --db, or archive "
                + "it first with `skald archive --guild \(guild)`")
    }
}
