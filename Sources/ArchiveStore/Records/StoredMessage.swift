import DiscordModels
import Foundation

/// An archived message: typed columns plus the exact JSON of its current version.
public struct StoredMessage: Sendable, Hashable, Codable {
    /// The message's id (unique together with `channelId`).
    public var id: Snowflake<Message>
    /// The channel or thread the message belongs to.
    public var channelId: Snowflake<Channel>
    /// The guild, when known.
    public var guildId: Snowflake<Guild>?
    /// The author's user id.
    public var authorId: Snowflake<User>?
    /// When the message was sent.
    public var timestamp: DiscordTimestamp
    /// When the current version was edited (`nil` if never).
    public var editedTimestamp: DiscordTimestamp?
    /// The message type.
    public var type: MessageType
    /// Discord's message flags.
    public var flags: Int
    /// The current version's text.
    public var content: String
    /// Whether the message is pinned.
    public var pinned: Bool
    /// `message_reference.message_id` (replies, forwards, crossposts, pins).
    public var referencedMessageId: Snowflake<Message>?
    /// `message_reference.channel_id`.
    public var referencedChannelId: Snowflake<Channel>?
    /// `message_reference.guild_id`.
    public var referencedGuildId: Snowflake<Guild>?
    /// The JSON of the current version, exactly as Discord sent it.
    public var json: Data
    /// When the archive first stored it.
    public var archivedAt: Date
    /// When its stored JSON last changed.
    public var updatedAt: Date
    /// The tombstone: when the archive found it deleted on Discord. The message itself stays.
    public var deletedAt: Date?
    /// How many earlier versions are kept as revisions.
    public var revisionCount: Int

    /// Makes a record.
    public init(
        id: Snowflake<Message>, channelId: Snowflake<Channel>, guildId: Snowflake<Guild>?, authorId: Snowflake<User>?,
        timestamp: DiscordTimestamp, editedTimestamp: DiscordTimestamp?, type: MessageType, flags: Int,
        content: String, pinned: Bool, referencedMessageId: Snowflake<Message>?,
        referencedChannelId: Snowflake<Channel>?, referencedGuildId: Snowflake<Guild>?, json: Data,
        archivedAt: Date, updatedAt: Date, deletedAt: Date?, revisionCount: Int
    ) {
        self.id = id
        self.channelId = channelId
        self.guildId = guildId
        self.authorId = authorId
        self.timestamp = timestamp
        self.editedTimestamp = editedTimestamp
        self.type = type
        self.flags = flags
        self.content = content
        self.pinned = pinned
        self.referencedMessageId = referencedMessageId
        self.referencedChannelId = referencedChannelId
        self.referencedGuildId = referencedGuildId
        self.json = json
        self.archivedAt = archivedAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
        self.revisionCount = revisionCount
    }

    /// Decodes the stored JSON into the wire model, keeping the bytes.
    public func decoded() throws -> Decoded<Message> { try Decoded<Message>(decoding: json) }
}
