/// A guild scheduled event (`ScheduledEventResponse`).
public struct ScheduledEvent: Sendable, Hashable, Codable {
    /// Discord's `id` field.
    public var id: Snowflake<ScheduledEvent>
    /// Discord's `guild_id` field.
    public var guildId: Snowflake<Guild>
    /// Discord's `channel_id` field.
    public var channelId: Snowflake<Channel>?
    /// Discord's `creator_id` field.
    public var creatorId: Snowflake<User>?
    /// Discord's `name` field.
    public var name: String
    /// Discord's `description` field.
    public var description: String?
    /// Discord's `scheduled_start_time` field.
    public var scheduledStartTime: DiscordTimestamp
    /// Discord's `scheduled_end_time` field.
    public var scheduledEndTime: DiscordTimestamp?
    /// Discord's `privacy_level` field.
    public var privacyLevel: Int?
    /// 1 scheduled, 2 active, 3 completed, 4 canceled.
    public var status: Int
    /// 1 stage instance, 2 voice, 3 external.
    public var entityType: Int
    /// Discord's `entity_id` field.
    public var entityId: AnySnowflake?
    /// Discord's `entity_metadata` field.
    public var entityMetadata: JSONValue?
    /// Discord's `creator` field.
    public var creator: User?
    /// Discord's `user_count` field.
    public var userCount: Int?
    /// Discord's `image` field.
    public var image: String?

    /// Makes a `ScheduledEvent`.
    public init(
        id: Snowflake<ScheduledEvent>, guildId: Snowflake<Guild>, name: String, scheduledStartTime: DiscordTimestamp,
        status: Int, entityType: Int
    ) {
        self.id = id
        self.guildId = guildId
        self.name = name
        self.scheduledStartTime = scheduledStartTime
        self.status = status
        self.entityType = entityType
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, status, creator, image
        case guildId = "guild_id"
        case channelId = "channel_id"
        case creatorId = "creator_id"
        case scheduledStartTime = "scheduled_start_time"
        case scheduledEndTime = "scheduled_end_time"
        case privacyLevel = "privacy_level"
        case entityType = "entity_type"
        case entityId = "entity_id"
        case entityMetadata = "entity_metadata"
        case userCount = "user_count"
    }
}
