import ArchiveStore
import DiscordModels
import Foundation

/// A gateway dispatch translated into what the archive does with it (see ``LiveEventTranslator``).
public enum LiveEvent: Sendable {
    /// A new message (MESSAGE_CREATE).
    case messageCreated(Decoded<Message>, guild: Snowflake<Guild>?)
    /// An edited message (MESSAGE_UPDATE): stored as a new version, the previous one kept as a revision.
    case messageUpdated(Decoded<Message>, guild: Snowflake<Guild>?)
    /// Deleted messages (MESSAGE_DELETE, MESSAGE_DELETE_BULK): tombstones seen live.
    case messagesDeleted([Snowflake<Message>], channel: Snowflake<Channel>, guild: Snowflake<Guild>?)
    /// A reaction added (MESSAGE_REACTION_ADD): the message's counts are refreshed through REST and the user is
    /// stored among those who reacted.
    case reactionAdded(
        message: Snowflake<Message>, channel: Snowflake<Channel>, guild: Snowflake<Guild>?, emoji: Emoji, burst: Bool,
        user: Decoded<User>?)
    /// A message changed without the event carrying it whole: a partial MESSAGE_UPDATE (only what changed; the
    /// reference says to tolerate missing keys) or a reaction removed (MESSAGE_REACTION_REMOVE, _REMOVE_ALL,
    /// _REMOVE_EMOJI: no counts). The message is read again through REST and stored as it now is.
    case messageChanged(Snowflake<Message>, channel: Snowflake<Channel>, guild: Snowflake<Guild>?)
    /// A message pinned or unpinned in a channel (CHANNEL_PINS_UPDATE `{guild_id?, channel_id, last_pin_timestamp?}`:
    /// which message, and whether pinned or unpinned, the event does not say). The channel's pins are read again
    /// through REST: the pinned messages are stored as they now are, with `pinned_at`, and the stored ones no longer
    /// listed are read again (unpinned, they stay archived).
    case pinsChanged(channel: Snowflake<Channel>, guild: Snowflake<Guild>?)
    /// A role deleted (GUILD_ROLE_DELETE `{guild_id, role_id}`): the guild's roles are read again through REST, the
    /// missing one is tombstoned.
    case rolesChanged(guild: Snowflake<Guild>)
    /// A scheduled event created, changed or deleted (GUILD_SCHEDULED_EVENT_CREATE/UPDATE/DELETE): the guild's
    /// events are read again through REST as the archive reads them (`with_user_count`, which the events lack, so
    /// storing their payload would flip the stored version at every archive run), the missing one tombstoned.
    case scheduledEventsChanged(guild: Snowflake<Guild>)
    /// THREAD_LIST_SYNC: the active threads of the listed parents (all when no `channel_ids`), sent when the bot
    /// gains access to a channel; stored like THREAD_CREATE (the archive keeps the threads it no longer sees).
    case threadsSynced([Decoded<Channel>], guild: Snowflake<Guild>?)
    /// Guild structure changed: GUILD_UPDATE, GUILD_ROLE_CREATE/UPDATE, GUILD_EMOJIS_UPDATE and
    /// GUILD_STICKERS_UPDATE (full listings: what they lack is tombstoned).
    case structureChanged([ObjectWriteStep], guild: Snowflake<Guild>?)
    /// A channel or thread created or changed (CHANNEL_*, THREAD_CREATE/UPDATE).
    case channelChanged(Decoded<Channel>)
    /// A channel or thread deleted (CHANNEL_DELETE, THREAD_DELETE).
    case channelDeleted(Snowflake<Channel>, guild: Snowflake<Guild>?)
    /// GUILD_MEMBER_ADD or GUILD_MEMBER_UPDATE: the member object (plus `guild_id`) as Discord sent it, upserted
    /// among the guild's members when the archive keeps them.
    case memberChanged(Decoded<GuildMember>, guild: Snowflake<Guild>)
    /// GUILD_MEMBER_REMOVE `{guild_id, user}` (a leave, kick or ban): the stored member is marked left.
    case memberLeft(Decoded<User>, guild: Snowflake<Guild>)
    /// GUILD_CREATE: a guild is available (after READY) or was joined.
    case guildAvailable(Snowflake<Guild>)
    /// GUILD_DELETE without `unavailable`: the bot was removed from the guild.
    case guildLeft(Snowflake<Guild>)
    /// READY: the guilds of the session.
    case ready(guilds: [Snowflake<Guild>])
    /// Anything the archive does not keep (typing, presences, RESUMED...).
    case ignored

    /// The guild the event concerns, when known.
    public var guild: Snowflake<Guild>? {
        switch self {
        case .messageCreated(_, let guild), .messageUpdated(_, let guild), .messagesDeleted(_, _, let guild),
            .channelDeleted(_, let guild), .reactionAdded(_, _, let guild, _, _, _), .structureChanged(_, let guild),
            .messageChanged(_, _, let guild), .threadsSynced(_, let guild), .pinsChanged(_, let guild):
            guild
        case .rolesChanged(let guild), .scheduledEventsChanged(let guild): guild
        case .memberChanged(_, let guild), .memberLeft(_, let guild): guild
        case .channelChanged(let channel): channel.value.guildId
        case .guildAvailable(let guild), .guildLeft(let guild): guild
        case .ready, .ignored: nil
        }
    }
}
