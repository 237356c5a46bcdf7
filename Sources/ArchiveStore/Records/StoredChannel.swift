import DiscordModels
import Foundation

/// An archived channel or thread: the typed columns the engine and exporters need, plus the exact JSON.
public struct StoredChannel: Sendable, Hashable, Codable {
    /// The channel's or thread's id.
    public var id: Snowflake<Channel>
    /// Its guild, when known.
    public var guildId: Snowflake<Guild>?
    /// The category of a channel, or the parent channel of a thread.
    public var parentId: Snowflake<Channel>?
    /// The channel type.
    public var type: ChannelType
    /// The name.
    public var name: String?
    /// The sorting position in the guild.
    public var position: Int?
    /// Whether `type` is a thread type (10, 11, 12).
    public var isThread: Bool
    /// Thread metadata: archived flag (nil for non-threads).
    public var threadArchived: Bool?
    /// Thread metadata: locked flag (nil for non-threads).
    public var threadLocked: Bool?
    /// Thread metadata: when the thread was archived or last changed archive state.
    public var threadArchiveTimestamp: DiscordTimestamp?
    /// The JSON Discord sent, exactly.
    public var json: Data
    /// When the archive first stored it.
    public var firstSeenAt: Date
    /// When its row was last written.
    public var updatedAt: Date
    /// Set when a complete channel listing of its guild no longer contained it (never set for threads).
    public var deletedAt: Date?

    /// Makes a record.
    public init(
        id: Snowflake<Channel>, guildId: Snowflake<Guild>?, parentId: Snowflake<Channel>?, type: ChannelType,
        name: String?, position: Int?, isThread: Bool, threadArchived: Bool?, threadLocked: Bool?,
        threadArchiveTimestamp: DiscordTimestamp?, json: Data, firstSeenAt: Date, updatedAt: Date, deletedAt: Date?
    ) {
        self.id = id
        self.guildId = guildId
        self.parentId = parentId
        self.type = type
        self.name = name
        self.position = position
        self.isThread = isThread
        self.threadArchived = threadArchived
        self.threadLocked = threadLocked
        self.threadArchiveTimestamp = threadArchiveTimestamp
        self.json = json
        self.firstSeenAt = firstSeenAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }
}
