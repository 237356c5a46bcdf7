/// A channel permission overwrite for a role (`type` 0) or a member (`type` 1).
public struct PermissionOverwrite: Sendable, Hashable, Codable {
    /// Discord's `id` field.
    public var id: AnySnowflake
    /// Discord's `type` field.
    public var type: Int
    /// Discord's `allow` field.
    public var allow: Permissions
    /// Discord's `deny` field.
    public var deny: Permissions

    /// Overwrite kinds.
    public static let roleType = 0
    /// Discord's `member_type` field.
    public static let memberType = 1

    /// Makes a `PermissionOverwrite`.
    public init(id: AnySnowflake, type: Int, allow: Permissions = [], deny: Permissions = []) {
        self.id = id
        self.type = type
        self.allow = allow
        self.deny = deny
    }
}
