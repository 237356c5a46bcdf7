/// A guild role (`GuildRoleResponse`). The @everyone role's id equals the guild id.
public struct Role: Sendable, Hashable, Codable {
    public var id: Snowflake<Role>
    public var name: String
    /// Deprecated by Discord in favour of `colors`, still sent.
    public var color: Int?
    public var colors: Colors?
    public var hoist: Bool?
    public var icon: String?
    public var unicodeEmoji: String?
    public var position: Int
    public var permissions: Permissions
    public var managed: Bool?
    public var mentionable: Bool?
    public var flags: Int?
    /// Kept as JSON: its flags are "present with value null means true".
    public var tags: JSONValue?

    /// A role's gradient colours.
    public struct Colors: Sendable, Hashable, Codable {
        public var primaryColor: Int
        public var secondaryColor: Int?
        public var tertiaryColor: Int?

        public init(primaryColor: Int, secondaryColor: Int? = nil, tertiaryColor: Int? = nil) {
            self.primaryColor = primaryColor
            self.secondaryColor = secondaryColor
            self.tertiaryColor = tertiaryColor
        }

        enum CodingKeys: String, CodingKey {
            case primaryColor = "primary_color"
            case secondaryColor = "secondary_color"
            case tertiaryColor = "tertiary_color"
        }
    }

    public init(id: Snowflake<Role>, name: String, color: Int = 0, position: Int, permissions: Permissions) {
        self.id = id
        self.name = name
        self.color = color
        self.position = position
        self.permissions = permissions
    }

    enum CodingKeys: String, CodingKey {
        case id, name, color, colors, hoist, icon, position, permissions, managed, mentionable, flags, tags
        case unicodeEmoji = "unicode_emoji"
    }
}
