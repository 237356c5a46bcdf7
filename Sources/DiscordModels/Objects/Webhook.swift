/// A webhook (`GuildIncomingWebhookResponse` and friends). `token` is present only for its creator.
public struct Webhook: Sendable, Hashable, Codable {
    public var id: Snowflake<Webhook>
    public var type: Int
    public var guildId: Snowflake<Guild>?
    public var channelId: Snowflake<Channel>?
    public var user: User?
    public var name: String?
    public var avatar: String?
    public var token: String?
    public var applicationId: AnySnowflake?
    public var url: String?

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
