/// A guild (`GuildResponse`), or its unavailable form `{id, unavailable: true}`.
public struct Guild: Sendable, Hashable, Codable {
    /// Discord's `id` field.
    public var id: Snowflake<Guild>
    /// Discord's `name` field.
    public var name: String?
    /// Discord's `icon` field.
    public var icon: String?
    /// Discord's `splash` field.
    public var splash: String?
    /// Discord's `banner` field.
    public var banner: String?
    /// Discord's `description` field.
    public var description: String?
    /// Discord's `owner_id` field.
    public var ownerId: Snowflake<User>?
    /// Discord's `roles` field.
    public var roles: [Role]?
    /// Discord's `emojis` field.
    public var emojis: [Emoji]?
    /// Discord's `stickers` field.
    public var stickers: [Sticker]?
    /// Discord's `features` field.
    public var features: [String]?
    /// Discord's `verification_level` field.
    public var verificationLevel: Int?
    /// Discord's `mfa_level` field.
    public var mfaLevel: Int?
    /// Discord's `premium_tier` field.
    public var premiumTier: Int?
    /// Discord's `preferred_locale` field.
    public var preferredLocale: String?
    /// Discord's `nsfw_level` field.
    public var nsfwLevel: Int?
    /// Discord's `system_channel_flags` field.
    public var systemChannelFlags: Int?
    /// Discord's `afk_channel_id` field.
    public var afkChannelId: Snowflake<Channel>?
    /// Discord's `system_channel_id` field.
    public var systemChannelId: Snowflake<Channel>?
    /// Discord's `rules_channel_id` field.
    public var rulesChannelId: Snowflake<Channel>?
    /// Discord's `vanity_url_code` field.
    public var vanityUrlCode: String?
    /// Discord's `approximate_member_count` field.
    public var approximateMemberCount: Int?
    /// Discord's `approximate_presence_count` field.
    public var approximatePresenceCount: Int?
    /// Discord's `unavailable` field.
    public var unavailable: Bool?

    /// Makes a `Guild`.
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
