/// A Discord user (`UserResponse`).
public struct User: Sendable, Hashable, Codable {
    public var id: Snowflake<User>
    public var username: String
    /// `"0"` for migrated users; `"0000"` for webhook authors.
    public var discriminator: String?
    public var globalName: String?
    public var avatar: String?
    public var bot: Bool?
    public var system: Bool?
    public var banner: String?
    public var accentColor: Int?
    public var flags: Int?
    public var publicFlags: Int?

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
