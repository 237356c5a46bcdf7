import DiscordModels
import DiscordREST

/// The store bot's door: decides each command's author with ``StoreCommandAccess`` over the channel's server (its
/// owner and roles read through REST, read again before anyone is refused, so a role made administrator since the
/// start counts), and answers a refused person once.
actor StoreCommandGate {
    /// What to do with a command.
    enum Verdict: Equatable {
        case run
        /// Refused: post this answer.
        case refuse(String)
        /// Refused before and told so: say nothing.
        case ignore
    }

    let access: StoreCommandAccess
    let client: DiscordClient
    let guild: Snowflake<Guild>?
    private var permissions: PermissionCalculator?
    private var refused: Set<Snowflake<User>> = []

    /// A gate for the commands of a channel of `guild` (nil: not in a server).
    init(access: StoreCommandAccess, client: DiscordClient, guild: Snowflake<Guild>?) {
        self.access = access
        self.client = client
        self.guild = guild
    }

    /// The verdict on a command of `user`, a member with `roles`.
    func verdict(user: Snowflake<User>, roles: [Snowflake<Role>]) async -> Verdict {
        if refused.contains(user) { return .ignore }
        if permissions == nil { permissions = await readPermissions() }
        if access.allows(user, roles: roles, in: permissions) { return .run }
        // Roles and the owner may have changed since they were read: read them again before refusing.
        permissions = await readPermissions() ?? permissions
        if access.allows(user, roles: roles, in: permissions) { return .run }
        refused.insert(user)
        return .refuse(StoreCommandAccess.refusal(of: user))
    }

    /// The server's owner and roles; nil when they cannot be read (then only the users and roles listed pass).
    private func readPermissions() async -> PermissionCalculator? {
        guard let guild else { return nil }
        do {
            let owner = try await client.guild(guild, withCounts: false).value.ownerId
            let roles = try await client.roles(guild).map(\.value)
            return PermissionCalculator(guildId: guild, ownerId: owner, roles: roles)
        } catch {
            return nil
        }
    }
}
