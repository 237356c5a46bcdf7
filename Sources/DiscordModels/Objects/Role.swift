/// A guild role (`GuildRoleResponse`). The @everyone role's id equals the guild id.
public struct Role: Sendable, Hashable, Codable {
    /// Discord's `id` field.
    public var id: Snowflake<Role>
    /// Discord's `name` field.
    public var name: String
    /// Deprecated by Discord in favour of `colors`, still sent.
    public var color: Int?
    /// Discord's `colors` field.
    public var colors: Colors?
    /// Discord's `hoist` field.
    public var hoist: Bool?
    /// Discord's `icon` field.
    public var icon: String?
    /// Discord's `unicode_emoji` field.
    public var unicodeEmoji: String?
    /// Discord's `position` field.
    public var position: Int
    /// Discord's `permissions` field.
    public var permissions: Permissions
    /// Discord's `managed` field.
    public var managed: Bool?
    /// Discord's `mentionable` field.
    public var mentionable: Bool?
    /// Discord's `flags` field.
    public var flags: Int?
    /// Kept as JSON: its flags are "present with value null means true".
    public var tags: JSONValue?

    /// A role's gradient colours.
    public struct Colors: Sendable, Hashable, Codable {
        /// Discord's `primary_color` field.
        public var primaryColor: Int
        /// Discord's `secondary_color` field.
        public var secondaryColor: Int?
        /// Discord's `tertiary_color` field.
        public var tertiaryColor: Int?

        /// Makes a `Colors`.
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

    /// Makes a `Role`.
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
