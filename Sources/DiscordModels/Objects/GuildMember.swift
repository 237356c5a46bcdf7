/// A user's membership of a guild (`GuildMemberResponse`). `user` is absent in gateway message payloads.
public struct GuildMember: Sendable, Hashable, Codable {
    /// Discord's `user` field.
    public var user: User?
    /// Discord's `nick` field.
    public var nick: String?
    /// Discord's `avatar` field.
    public var avatar: String?
    /// Discord's `roles` field.
    public var roles: [Snowflake<Role>]
    /// Discord's `joined_at` field.
    public var joinedAt: DiscordTimestamp?
    /// Discord's `premium_since` field.
    public var premiumSince: DiscordTimestamp?
    /// Discord's `deaf` field.
    public var deaf: Bool?
    /// Discord's `mute` field.
    public var mute: Bool?
    /// Discord's `flags` field.
    public var flags: Int?
    /// Discord's `pending` field.
    public var pending: Bool?
    /// Discord's `communication_disabled_until` field.
    public var communicationDisabledUntil: DiscordTimestamp?

    /// Makes a `GuildMember`.
    public init(user: User?, nick: String? = nil, roles: [Snowflake<Role>] = [], joinedAt: DiscordTimestamp? = nil) {
        self.user = user
        self.nick = nick
        self.roles = roles
        self.joinedAt = joinedAt
    }

    /// Decodes the value from its JSON form.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        user = try c.decodeIfPresent(User.self, forKey: .user)
        nick = try c.decodeIfPresent(String.self, forKey: .nick)
        avatar = try c.decodeIfPresent(String.self, forKey: .avatar)
        roles = try c.decodeIfPresent([Snowflake<Role>].self, forKey: .roles) ?? []
        joinedAt = try c.decodeIfPresent(DiscordTimestamp.self, forKey: .joinedAt)
        premiumSince = try c.decodeIfPresent(DiscordTimestamp.self, forKey: .premiumSince)
        deaf = try c.decodeIfPresent(Bool.self, forKey: .deaf)
        mute = try c.decodeIfPresent(Bool.self, forKey: .mute)
        flags = try c.decodeIfPresent(Int.self, forKey: .flags)
        pending = try c.decodeIfPresent(Bool.self, forKey: .pending)
        communicationDisabledUntil = try c.decodeIfPresent(DiscordTimestamp.self, forKey: .communicationDisabledUntil)
    }

    enum CodingKeys: String, CodingKey {
        case user, nick, avatar, roles, deaf, mute, flags, pending
        case joinedAt = "joined_at"
        case premiumSince = "premium_since"
        case communicationDisabledUntil = "communication_disabled_until"
    }
}
