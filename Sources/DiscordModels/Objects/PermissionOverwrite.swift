/// A channel permission overwrite for a role (`type` 0) or a member (`type` 1).
public struct PermissionOverwrite: Sendable, Hashable, Codable {
    public var id: AnySnowflake
    public var type: Int
    public var allow: Permissions
    public var deny: Permissions

    /// Overwrite kinds.
    public static let roleType = 0
    public static let memberType = 1

    public init(id: AnySnowflake, type: Int, allow: Permissions = [], deny: Permissions = []) {
        self.id = id
        self.type = type
        self.allow = allow
        self.deny = deny
    }
}
