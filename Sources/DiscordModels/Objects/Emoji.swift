/// A custom or standard emoji (`EmojiResponse`). In reactions `id` is null for standard emoji and `name`
/// may be null for deleted custom ones.
public struct Emoji: Sendable, Hashable, Codable {
    public var id: Snowflake<Emoji>?
    public var name: String?
    public var roles: [Snowflake<Role>]?
    public var user: User?
    public var requireColons: Bool?
    public var managed: Bool?
    public var animated: Bool?
    public var available: Bool?

    public init(id: Snowflake<Emoji>?, name: String?, animated: Bool? = nil) {
        self.id = id
        self.name = name
        self.animated = animated
    }

    enum CodingKeys: String, CodingKey {
        case id, name, roles, user, managed, animated, available
        case requireColons = "require_colons"
    }
}
