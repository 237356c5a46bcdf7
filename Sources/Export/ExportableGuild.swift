import ArchiveStore
import DiscordModels

/// The check that a guild an export names is one the archive knows (``ArchivedGuild``): archived or imported.
enum ExportableGuild {
    /// Throws ``ExportError`` (missing) when the archive holds nothing of `guild`.
    static func require(_ guild: Snowflake<Guild>, in store: any ArchiveStore) async throws {
        guard try await ArchivedGuild.presence(of: guild, in: store) == .absent else { return }
        throw ExportError.missing(ArchivedGuild.absenceMessage(guild))
    }
}
