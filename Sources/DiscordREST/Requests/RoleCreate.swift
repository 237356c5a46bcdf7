import DiscordModels

/// The body of `POST /guilds/{guild_id}/roles`.
public struct RoleCreate: Sendable, Hashable, Encodable {
    /// The name.
    public var name: String
    /// Permissions (a decimal string on the wire); may only include bits the bot has.
    public var permissions: Permissions?
    /// Legacy single colour.
    public var color: Int?
    /// Role colours.
    public var colors: Role.Colors?
    /// Shown separately in the member list.
    public var hoist: Bool?
    /// Anyone may mention it.
    public var mentionable: Bool?
    /// A Unicode emoji icon.
    public var unicodeEmoji: String?

    /// Creates a role body.
    public init(
        name: String, permissions: Permissions? = nil, color: Int? = nil, hoist: Bool? = nil, mentionable: Bool? = nil
    ) {
        self.name = name
        self.permissions = permissions
        self.color = color
        self.hoist = hoist
        self.mentionable = mentionable
    }

    enum CodingKeys: String, CodingKey {
        case name, permissions, color, colors, hoist, mentionable
        case unicodeEmoji = "unicode_emoji"
    }
}
