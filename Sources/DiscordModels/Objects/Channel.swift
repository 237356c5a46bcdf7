/// A guild channel or thread (`GuildChannelResponse` / `ThreadResponse`).
public struct Channel: Sendable, Hashable, Codable {
    /// Discord's `id` field.
    public var id: Snowflake<Channel>
    /// Discord's `type` field.
    public var type: ChannelType
    /// Discord's `guild_id` field.
    public var guildId: Snowflake<Guild>?
    /// Discord's `position` field.
    public var position: Int?
    /// Discord's `permission_overwrites` field.
    public var permissionOverwrites: [PermissionOverwrite]?
    /// Discord's `name` field.
    public var name: String?
    /// Discord's `topic` field.
    public var topic: String?
    /// Discord's `nsfw` field.
    public var nsfw: Bool?
    /// Discord's `last_message_id` field.
    public var lastMessageId: Snowflake<Message>?
    /// Discord's `bitrate` field.
    public var bitrate: Int?
    /// Discord's `user_limit` field.
    public var userLimit: Int?
    /// Discord's `rate_limit_per_user` field.
    public var rateLimitPerUser: Int?
    /// A category for channels; the parent channel for threads.
    public var parentId: Snowflake<Channel>?
    /// Discord's `last_pin_timestamp` field.
    public var lastPinTimestamp: DiscordTimestamp?
    /// Discord's `rtc_region` field.
    public var rtcRegion: String?
    /// Discord's `owner_id` field.
    public var ownerId: Snowflake<User>?
    /// Discord's `message_count` field.
    public var messageCount: Int?
    /// Discord's `member_count` field.
    public var memberCount: Int?
    /// Discord's `total_message_sent` field.
    public var totalMessageSent: Int?
    /// Discord's `thread_metadata` field.
    public var threadMetadata: ThreadMetadata?
    /// Discord's `member` field.
    public var member: ThreadMember?
    /// Discord's `flags` field.
    public var flags: Int?
    /// Discord's `available_tags` field.
    public var availableTags: [ForumTag]?
    /// Discord's `applied_tags` field.
    public var appliedTags: [AnySnowflake]?
    /// Discord's `default_auto_archive_duration` field.
    public var defaultAutoArchiveDuration: Int?

    /// Makes a `Channel`.
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
