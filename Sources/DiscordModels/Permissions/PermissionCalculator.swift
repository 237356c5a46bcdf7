/// Computes a member's permissions in a guild and its channels the way Discord does
/// (discord-api-docs: topics/permissions): owner, @everyone, roles, ADMINISTRATOR, then overwrites in the
/// order @everyone → roles (allow beats deny across roles) → member, plus the implicit rules for voice
/// channels, threads and private threads.
///
/// ```swift
/// let calculator = PermissionCalculator(guildId: guild.id, ownerId: guild.ownerId, roles: guild.roles ?? [])
/// let bot = calculator.member(botUserId, roles: botMember.roles)
/// if calculator.permissions(of: bot, in: channel).contains(.readMessageHistory) { … }
/// ```
public struct PermissionCalculator: Sendable {
    /// A member as the calculation needs it.
    public struct MemberIdentity: Sendable, Hashable {
        /// The user id.
        public var userId: Snowflake<User>
        /// The roles.
        public var roles: [Snowflake<Role>]
        /// A timed-out member keeps only VIEW_CHANNEL and READ_MESSAGE_HISTORY.
        public var isTimedOut: Bool

        /// Makes a `MemberIdentity`.
        public init(userId: Snowflake<User>, roles: [Snowflake<Role>], isTimedOut: Bool = false) {
            self.userId = userId
            self.roles = roles
            self.isTimedOut = isTimedOut
        }
    }

    /// The guild id.
    public let guildId: Snowflake<Guild>
    /// The owner id.
    public let ownerId: Snowflake<User>?
    /// The role permissions.
    public let rolePermissions: [Snowflake<Role>: Permissions]

    /// - Parameters:
    ///   - roles: the guild's roles, including @everyone (whose id is the guild id).
    public init(guildId: Snowflake<Guild>, ownerId: Snowflake<User>?, roles: [Role]) {
        self.guildId = guildId
        self.ownerId = ownerId
        var table: [Snowflake<Role>: Permissions] = [:]
        for role in roles { table[role.id] = role.permissions }
        self.rolePermissions = table
    }

    /// A member identity, for readability at call sites.
    public func member(_ userId: Snowflake<User>, roles: [Snowflake<Role>], isTimedOut: Bool = false) -> MemberIdentity
    {
        MemberIdentity(userId: userId, roles: roles, isTimedOut: isTimedOut)
    }

    /// Guild-level permissions: owner → all; @everyone | roles; ADMINISTRATOR → all.
    public func basePermissions(of member: MemberIdentity) -> Permissions {
        if let ownerId, member.userId == ownerId { return .all }
        var permissions = rolePermissions[guildId.cast()] ?? []
        for role in member.roles { permissions.formUnion(rolePermissions[role] ?? []) }
        if permissions.contains(.administrator) { return .all }
        if member.isTimedOut { return permissions.intersection([.viewChannel, .readMessageHistory]) }
        return permissions
    }

    /// Applies overwrites to base permissions, in Discord's order, without the implicit rules.
    public func applyOverwrites(_ overwrites: [PermissionOverwrite], to base: Permissions, for member: MemberIdentity)
        -> Permissions
    {
        if base == .all { return .all }
        var permissions = base
        let everyoneId = guildId.cast(to: AnyTag.self)
        if let everyone = overwrites.first(where: { $0.id == everyoneId && $0.type == PermissionOverwrite.roleType }) {
            permissions.subtract(everyone.deny)
            permissions.formUnion(everyone.allow)
        }
        var allow: Permissions = []
        var deny: Permissions = []
        let memberRoles = Set(member.roles.map { $0.cast(to: AnyTag.self) })
        for overwrite in overwrites
        where overwrite.type == PermissionOverwrite.roleType && overwrite.id != everyoneId
            && memberRoles.contains(overwrite.id)
        {
            allow.formUnion(overwrite.allow)
            deny.formUnion(overwrite.deny)
        }
        permissions.subtract(deny)
        permissions.formUnion(allow)
        let memberId = member.userId.cast(to: AnyTag.self)
        if let own = overwrites.first(where: { $0.id == memberId && $0.type == PermissionOverwrite.memberType }) {
            permissions.subtract(own.deny)
            permissions.formUnion(own.allow)
        }
        if member.isTimedOut { permissions.formIntersection([.viewChannel, .readMessageHistory]) }
        return permissions
    }

    /// Effective permissions in a channel or thread, with the implicit rules applied.
    ///
    /// - Parameters:
    ///   - channel: the channel, or a thread.
    ///   - parent: for a thread, its parent channel (whose overwrites apply); ignored otherwise.
    ///   - isThreadMember: for a private thread, whether the member joined it.
    public func permissions(
        of member: MemberIdentity, in channel: Channel, parent: Channel? = nil, isThreadMember: Bool = false
    ) -> Permissions {
        let base = basePermissions(of: member)
        if channel.type.isThread {
            let overwrites = parent?.permissionOverwrites ?? []
            var permissions = applyOverwrites(overwrites, to: base, for: member)
            if permissions == .all { return .all }
            if let parent, parent.type.isVoice, !permissions.contains(.connect) { return [] }
            guard permissions.contains(.viewChannel) else { return [] }
            if channel.type == .privateThread, !isThreadMember, !permissions.contains(.manageThreads) { return [] }
            // In threads SEND_MESSAGES_IN_THREADS stands in for SEND_MESSAGES.
            if permissions.contains(.sendMessagesInThreads) {
                permissions.insert(.sendMessages)
            } else {
                permissions.remove(.sendMessages)
            }
            return Self.applySendRule(permissions)
        }
        let permissions = applyOverwrites(channel.permissionOverwrites ?? [], to: base, for: member)
        if permissions == .all { return .all }
        guard permissions.contains(.viewChannel) else { return [] }
        if channel.type.isVoice, !permissions.contains(.connect) { return [] }
        return Self.applySendRule(permissions)
    }

    /// Without SEND_MESSAGES, MENTION_EVERYONE, TTS, ATTACH_FILES and EMBED_LINKS are moot.
    static func applySendRule(_ permissions: Permissions) -> Permissions {
        guard !permissions.contains(.sendMessages) else { return permissions }
        return permissions.subtracting([.mentionEveryone, .sendTTSMessages, .attachFiles, .embedLinks])
    }

    /// Whether the member can read the history of the channel (VIEW_CHANNEL and READ_MESSAGE_HISTORY).
    public func canReadHistory(
        of member: MemberIdentity, in channel: Channel, parent: Channel? = nil, isThreadMember: Bool = false
    ) -> Bool {
        permissions(of: member, in: channel, parent: parent, isThreadMember: isThreadMember)
            .isSuperset(of: [.viewChannel, .readMessageHistory])
    }
}
