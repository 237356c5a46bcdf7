import DiscordModels

/// Which mentions in a sent message notify anyone. `.none` is right when replaying archived messages.
public struct AllowedMentions: Sendable, Hashable, Encodable {
    /// Mention kinds parsed from the content: `users`, `roles`, `everyone`.
    public var parse: [String]
    /// Users that may be notified.
    public var users: [Snowflake<User>]?
    /// Roles that may be notified.
    public var roles: [Snowflake<Role>]?
    /// Whether a reply notifies the replied-to author.
    public var repliedUser: Bool?

    /// Creates the object.
    public init(
        parse: [String] = [], users: [Snowflake<User>]? = nil, roles: [Snowflake<Role>]? = nil, repliedUser: Bool? = nil
    ) {
        self.parse = parse
        self.users = users
        self.roles = roles
        self.repliedUser = repliedUser
    }

    /// Notify nobody.
    public static let none = AllowedMentions()

    enum CodingKeys: String, CodingKey {
        case parse, users, roles
        case repliedUser = "replied_user"
    }
}
