import DiscordModels

/// A guild member changed, as the gateway said (GUILD_MEMBER_ADD/UPDATE/REMOVE), applied in the events' order.
public enum LiveMemberChange: Sendable {
    /// GUILD_MEMBER_ADD or GUILD_MEMBER_UPDATE: the member as the event carries it, upserted like a member listed by
    /// `GET /guilds/{g}/members` (a left mark is cleared).
    case upsert(Decoded<GuildMember>, guild: Snowflake<Guild>)
    /// GUILD_MEMBER_REMOVE (a leave, kick or ban): the stored member marked left (`left_at`), never deleted; its
    /// user object is stored as a sighting.
    case left(Decoded<User>, guild: Snowflake<Guild>)
}
