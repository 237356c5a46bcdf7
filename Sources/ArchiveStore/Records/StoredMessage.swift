import DiscordModels
import Foundation

/// An archived message: typed columns plus the exact JSON of its current version.
public struct StoredMessage: Sendable, Hashable, Codable {
    public var id: Snowflake<Message>
    public var channelId: Snowflake<Channel>
    public var guildId: Snowflake<Guild>?
    public var authorId: Snowflake<User>?
    public var timestamp: DiscordTimestamp
    public var editedTimestamp: DiscordTimestamp?
    public var type: MessageType
    public var flags: Int
    public var content: String
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
