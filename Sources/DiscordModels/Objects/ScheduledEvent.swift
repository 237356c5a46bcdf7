/// A guild scheduled event (`ScheduledEventResponse`).
public struct ScheduledEvent: Sendable, Hashable, Codable {
    public var id: Snowflake<ScheduledEvent>
    public var guildId: Snowflake<Guild>
    public var channelId: Snowflake<Channel>?
    public var creatorId: Snowflake<User>?
    public var name: String
    public var description: String?
    public var scheduledStartTime: DiscordTimestamp
    public var scheduledEndTime: DiscordTimestamp?
    public var privacyLevel: Int?
    /// 1 scheduled, 2 active, 3 completed, 4 canceled.
    public var status: Int
    /// 1 stage instance, 2 voice, 3 external.
    public var entityType: Int
    public var entityId: AnySnowflake?
    public var entityMetadata: JSONValue?
    public var creator: User?
    public var userCount: Int?
    public var image: String?

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
