/// A guild (`GuildResponse`), or its unavailable form `{id, unavailable: true}`.
public struct Guild: Sendable, Hashable, Codable {
    public var id: Snowflake<Guild>
    public var name: String?
    public var icon: String?
    public var splash: String?
    public var banner: String?
    public var description: String?
    public var ownerId: Snowflake<User>?
    public var roles: [Role]?
    public var emojis: [Emoji]?
    public var stickers: [Sticker]?
    public var features: [String]?
    public var verificationLevel: Int?
    public var mfaLevel: Int?
    public var premiumTier: Int?
    public var preferredLocale: String?
    public var nsfwLevel: Int?
    public var systemChannelFlags: Int?
    public var afkChannelId: Snowflake<Channel>?
    public var systemChannelId: Snowflake<Channel>?
    public var rulesChannelId: Snowflake<Channel>?
    public var vanityUrlCode: String?
    public var approximateMemberCount: Int?
    public var approximatePresenceCount: Int?
    public var unavailable: Bool?

    public init(id: Snowflake<Guild>, name: String, ownerId: Snowflake<User>) {
        self.id = id
        self.name = name
        self.ownerId = ownerId
    }

    enum CodingKeys: String, CodingKey {
        case id, name, icon, splash, banner, description, roles, emojis, stickers, features, unavailable
        case ownerId = "owner_id"
        case verificationLevel = "verification_level"
        case mfaLevel = "mfa_level"
        case premiumTier = "premium_tier"
        case preferredLocale = "preferred_locale"
        case nsfwLevel = "nsfw_level"
        case systemChannelFlags = "system_channel_flags"
        case afkChannelId = "afk_channel_id"
        case systemChannelId = "system_channel_id"
        case rulesChannelId = "rules_channel_id"
        case vanityUrlCode = "vanity_url_code"
        case approximateMemberCount = "approximate_member_count"
        case approximatePresenceCount = "approximate_presence_count"
    }
}
