/// A guild as listed by `GET /users/@me/guilds`.
public struct PartialGuild: Sendable, Hashable, Codable {
    public var id: Snowflake<Guild>
    public var name: String
    public var icon: String?
    public var banner: String?
    public var owner: Bool?
    /// The token's base permissions in the guild, without channel overwrites.
    public var permissions: Permissions?
    public var features: [String]?
    public var approximateMemberCount: Int?
    public var approximatePresenceCount: Int?

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
