/// A Discord user (`UserResponse`).
public struct User: Sendable, Hashable, Codable {
    /// Discord's `id` field.
    public var id: Snowflake<User>
    /// Discord's `username` field.
    public var username: String
    /// `"0"` for migrated users; `"0000"` for webhook authors.
    public var discriminator: String?
    /// Discord's `global_name` field.
    public var globalName: String?
    /// Discord's `avatar` field.
    public var avatar: String?
    /// Discord's `bot` field.
    public var bot: Bool?
    /// Discord's `system` field.
    public var system: Bool?
    /// Discord's `banner` field.
    public var banner: String?
    /// Discord's `accent_color` field.
    public var accentColor: Int?
    /// Discord's `flags` field.
    public var flags: Int?
    /// Discord's `public_flags` field.
    public var publicFlags: Int?

    /// Makes an `User`.
    public init(
        id: Snowflake<User>, username: String, discriminator: String? = "0", globalName: String? = nil,
        avatar: String? = nil, bot: Bool? = nil
    ) {
        self.id = id
        self.username = username
        self.discriminator = discriminator
        self.globalName = globalName
        self.avatar = avatar
        self.bot = bot
    }

    enum CodingKeys: String, CodingKey {
        case id, username, discriminator, avatar, bot, system, banner, flags
        case globalName = "global_name"
        case accentColor = "accent_color"
        case publicFlags = "public_flags"
    }
}
