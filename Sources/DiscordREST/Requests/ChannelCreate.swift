import DiscordModels

/// The body of `POST /guilds/{guild_id}/channels`.
public struct ChannelCreate: Sendable, Hashable, Encodable {
    /// 1–100 characters.
    public var name: String
    /// The channel type (text when absent).
    public var type: ChannelType?
    /// The topic.
    public var topic: String?
    /// Voice bitrate (≥ 8000).
    public var bitrate: Int?
    /// Voice user limit.
    public var userLimit: Int?
    /// Slow mode, in seconds.
    public var rateLimitPerUser: Int?
    /// Sort position.
    public var position: Int?
    /// Overwrites; may only grant bits the bot has.
    public var permissionOverwrites: [PermissionOverwrite]?
    /// The category.
    public var parentId: Snowflake<Channel>?
    /// Age-restricted.
    public var nsfw: Bool?

    /// Creates a channel body.
    public init(name: String, type: ChannelType? = nil, parentId: Snowflake<Channel>? = nil) {
        self.name = name
        self.type = type
        self.parentId = parentId
    }

    enum CodingKeys: String, CodingKey {
        case name, type, topic, bitrate, position, nsfw
        case userLimit = "user_limit"
        case rateLimitPerUser = "rate_limit_per_user"
        case permissionOverwrites = "permission_overwrites"
        case parentId = "parent_id"
    }
}
