/// What a reply, forward, pin notice, crosspost or thread starter points at.
public struct MessageReference: Sendable, Hashable, Codable {
    /// 0 default (reply), 1 forward; absent means 0.
    public var type: Int?
    /// Discord's `message_id` field.
    public var messageId: Snowflake<Message>?
    /// Discord's `channel_id` field.
    public var channelId: Snowflake<Channel>?
    /// Discord's `guild_id` field.
    public var guildId: Snowflake<Guild>?
    /// Sent only, never received.
    public var failIfNotExists: Bool?

    /// Makes a `MessageReference`.
    public init(
        type: Int? = 0, messageId: Snowflake<Message>?, channelId: Snowflake<Channel>?, guildId: Snowflake<Guild>?
    ) {
        self.type = type
        self.messageId = messageId
        self.channelId = channelId
        self.guildId = guildId
    }

    enum CodingKeys: String, CodingKey {
        case type
        case messageId = "message_id"
        case channelId = "channel_id"
        case guildId = "guild_id"
        case failIfNotExists = "fail_if_not_exists"
    }
}
