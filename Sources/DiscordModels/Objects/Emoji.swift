/// A custom or standard emoji (`EmojiResponse`). In reactions `id` is null for standard emoji and `name`
/// may be null for deleted custom ones.
public struct Emoji: Sendable, Hashable, Codable {
    /// Discord's `id` field.
    public var id: Snowflake<Emoji>?
    /// Discord's `name` field.
    public var name: String?
    /// Discord's `roles` field.
    public var roles: [Snowflake<Role>]?
    /// Discord's `user` field.
    public var user: User?
    /// Discord's `require_colons` field.
    public var requireColons: Bool?
    /// Discord's `managed` field.
    public var managed: Bool?
    /// Discord's `animated` field.
    public var animated: Bool?
    /// Discord's `available` field.
    public var available: Bool?

    /// Makes an `Emoji`.
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
