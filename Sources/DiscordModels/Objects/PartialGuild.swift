/// A guild as listed by `GET /users/@me/guilds`.
public struct PartialGuild: Sendable, Hashable, Codable {
    /// Discord's `id` field.
    public var id: Snowflake<Guild>
    /// Discord's `name` field.
    public var name: String
    /// Discord's `icon` field.
    public var icon: String?
    /// Discord's `banner` field.
    public var banner: String?
    /// Discord's `owner` field.
    public var owner: Bool?
    /// The token's base permissions in the guild, without channel overwrites.
    public var permissions: Permissions?
    /// Discord's `features` field.
    public var features: [String]?
    /// Discord's `approximate_member_count` field.
    public var approximateMemberCount: Int?
    /// Discord's `approximate_presence_count` field.
    public var approximatePresenceCount: Int?

    /// Makes a `PartialGuild`.
    public init(id: Snowflake<Guild>, name: String) {
        self.id = id
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case id, name, icon, banner, owner, permissions, features
        case approximateMemberCount = "approximate_member_count"
        case approximatePresenceCount = "approximate_presence_count"
    }
}
