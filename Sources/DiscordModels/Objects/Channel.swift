/// A guild channel or thread (`GuildChannelResponse` / `ThreadResponse`).
public struct Channel: Sendable, Hashable, Codable {
    public var id: Snowflake<Channel>
    public var type: ChannelType
    public var guildId: Snowflake<Guild>?
    public var position: Int?
    public var permissionOverwrites: [PermissionOverwrite]?
    public var name: String?
    public var topic: String?
    public var nsfw: Bool?
    public var lastMessageId: Snowflake<Message>?
    public var bitrate: Int?
    public var userLimit: Int?
    public var rateLimitPerUser: Int?
    /// A category for channels; the parent channel for threads.
    public var parentId: Snowflake<Channel>?
    public var lastPinTimestamp: DiscordTimestamp?
    public var rtcRegion: String?
    public var ownerId: Snowflake<User>?
    public var messageCount: Int?
    public var memberCount: Int?
    public var totalMessageSent: Int?
    public var threadMetadata: ThreadMetadata?
    public var member: ThreadMember?
    public var flags: Int?
    public var availableTags: [ForumTag]?
    public var appliedTags: [AnySnowflake]?
    public var defaultAutoArchiveDuration: Int?

    public init(id: Snowflake<Channel>, type: ChannelType, guildId: Snowflake<Guild>? = nil, name: String? = nil) {
        self.id = id
        self.type = type
        self.guildId = guildId
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case id, type, position, name, topic, nsfw, bitrate, member, flags
        case guildId = "guild_id"
        case permissionOverwrites = "permission_overwrites"
        case lastMessageId = "last_message_id"
        case userLimit = "user_limit"
        case rateLimitPerUser = "rate_limit_per_user"
        case parentId = "parent_id"
        case lastPinTimestamp = "last_pin_timestamp"
        case rtcRegion = "rtc_region"
        case ownerId = "owner_id"
        case messageCount = "message_count"
        case memberCount = "member_count"
        case totalMessageSent = "total_message_sent"
        case threadMetadata = "thread_metadata"
        case availableTags = "available_tags"
        case appliedTags = "applied_tags"
        case defaultAutoArchiveDuration = "default_auto_archive_duration"
    }
}
