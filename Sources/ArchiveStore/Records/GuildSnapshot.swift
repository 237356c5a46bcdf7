import DiscordModels

/// A guild and (optionally) complete listings of its structure, stored in one transaction.
///
/// Each listing that is non-`nil` is taken as complete: objects of that kind in this guild that the archive
/// holds but the listing lacks get a tombstone (`deletedAt`); they are never removed. For `channels` only
/// non-thread channels are tombstoned (threads come from other, paged listings; store them with
/// ``StructureStore/storeChannels(_:)``).
public struct GuildSnapshot: Sendable {
    /// The guild (`GET /guilds/{id}`); an unavailable guild (`{id, unavailable: true}`) does not replace a
    /// stored version.
    public var guild: Decoded<Guild>
    /// The complete channel listing (`GET /guilds/{id}/channels`), threads excluded.
    public var channels: [Decoded<Channel>]?
    /// The complete role listing.
    public var roles: [Decoded<Role>]?
    /// The complete emoji listing.
    public var emojis: [Decoded<Emoji>]?
    /// The complete sticker listing.
    public var stickers: [Decoded<Sticker>]?
    /// The complete scheduled-event listing.
    public var scheduledEvents: [Decoded<ScheduledEvent>]?

    /// Makes a snapshot.
    public init(
        guild: Decoded<Guild>, channels: [Decoded<Channel>]? = nil, roles: [Decoded<Role>]? = nil,
        emojis: [Decoded<Emoji>]? = nil, stickers: [Decoded<Sticker>]? = nil,
        scheduledEvents: [Decoded<ScheduledEvent>]? = nil
    ) {
        self.guild = guild
        self.channels = channels
        self.roles = roles
        self.emojis = emojis
        self.stickers = stickers
        self.scheduledEvents = scheduledEvents
    }
}
