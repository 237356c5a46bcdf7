import DiscordModels

/// Who may use the store's channel commands: the server's owner and members whose roles give Administrator (who
/// could grant themselves any other right in the server anyway), plus the users and roles named when the commands
/// were started (`skald store serve-commands --allow-user ID --allow-role ID`). Anyone else who can write in the
/// channel is refused: `!upload` and `!download` write onto the bot's disk and into the store.
public struct StoreCommandAccess: Sendable, Hashable {
    /// Users allowed besides the owner and administrators.
    public var users: Set<Snowflake<User>>
    /// Roles whose members are allowed besides the owner and administrators.
    public var roles: Set<Snowflake<Role>>

    /// The owner and administrators, and `users` and members of `roles`.
    public init(users: [Snowflake<User>] = [], roles: [Snowflake<Role>] = []) {
        self.users = Set(users)
        self.roles = Set(roles)
    }

    /// Whether `user`, a member with `memberRoles`, may use the commands; `guild` computes the member's rights in
    /// the channel's server (nil outside one: only the users listed).
    public func allows(
        _ user: Snowflake<User>, roles memberRoles: [Snowflake<Role>], in guild: PermissionCalculator?
    ) -> Bool {
        if users.contains(user) || memberRoles.contains(where: roles.contains) { return true }
        guard let guild else { return false }
        return guild.basePermissions(of: guild.member(user, roles: memberRoles)).contains(.administrator)
    }

    /// The answer to someone refused (posted once per person).
    public static func refusal(of user: Snowflake<User>) -> String {
        "<@\(user)>: only the server's owner, members with the Administrator permission, and the users and roles "
            + "`skald store serve-commands` was started with (`--allow-user ID`, `--allow-role ID`) may use the "
            + "store's commands here. This command was not run, and further commands from you are ignored without "
            + "an answer: ask an administrator to allow you."
    }
}
