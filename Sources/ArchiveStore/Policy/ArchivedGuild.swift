import DiscordModels

/// What an archive holds of a guild a command names (`export --guild`, `mirror --guild`): archived (its object or
/// its channels), known only from imported files (a DCE export's guild), or nothing. Without this check an unknown
/// or mistyped id exports or mirrors nothing and reports success.
public enum ArchivedGuild: Sendable, Equatable {
    /// The guild's object or channels were archived.
    case archived
    /// Only imported files (DCE exports) name the guild: its messages, but none of its structure.
    case importedOnly
    /// The archive holds nothing of the guild.
    case absent

    /// What `store` holds of `guild`.
    public static func presence(of guild: Snowflake<Guild>, in store: any StructureStore & ImportStore) async throws
        -> Self
    {
        if try await store.object(.guild, id: AnySnowflake(guild.rawValue)) != nil { return .archived }
        if try await !store.channels(in: guild).isEmpty { return .archived }
        if try await store.importedChannels().contains(where: { $0.belongs(to: guild) }) { return .importedOnly }
        return .absent
    }

    /// The words for an ``absent`` guild: its id, and what to do (`option`: the flag that named it).
    public static func absenceMessage(_ guild: Snowflake<Guild>, option: String = "the id") -> String {
        "guild \(guild) is not in the archive (neither archived nor imported): check \(option) and --db, or archive "
            + "it first with `skald archive --guild \(guild)`"
    }
}
