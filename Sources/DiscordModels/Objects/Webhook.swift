/// A webhook (`GuildIncomingWebhookResponse` and friends). `token` is present only for its creator.
public struct Webhook: Sendable, Hashable, Codable {
    /// Discord's `id` field.
    public var id: Snowflake<Webhook>
    /// Discord's `type` field.
    public var type: Int
    /// Discord's `guild_id` field.
    public var guildId: Snowflake<Guild>?
    /// Discord's `channel_id` field.
    public var channelId: Snowflake<Channel>?
    /// Discord's `user` field.
    public var user: User?
    /// Discord's `name` field.
    public var name: String?
    /// Discord's `avatar` field.
    public var avatar: String?
    /// Discord's `token` field.
    public var token: String?
    /// Discord's `application_id` field.
    public var applicationId: AnySnowflake?
    /// Discord's `url` field.
    public var url: String?

    /// Makes a `Webhook`.
    public init(id: Snowflake<Webhook>, type: Int = 1, channelId: Snowflake<Channel>?, name: String?, token: String?) {
        self.id = id
        self.type = type
        self.channelId = channelId
        self.name = name
        self.token = token
    }

    enum CodingKeys: String, CodingKey {
        case id, type, user, name, avatar, token, url
        case guildId = "guild_id"
        case channelId = "channel_id"
        case applicationId = "application_id"
    }
}
