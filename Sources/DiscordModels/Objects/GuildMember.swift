/// A user's membership of a guild (`GuildMemberResponse`). `user` is absent in gateway message payloads.
public struct GuildMember: Sendable, Hashable, Codable {
    public var user: User?
    public var nick: String?
    public var avatar: String?
    public var roles: [Snowflake<Role>]
    public var joinedAt: DiscordTimestamp?
    public var premiumSince: DiscordTimestamp?
    public var deaf: Bool?
    public var mute: Bool?
    public var flags: Int?
    public var pending: Bool?
    public var communicationDisabledUntil: DiscordTimestamp?

    public init(user: User?, nick: String? = nil, roles: [Snowflake<Role>] = [], joinedAt: DiscordTimestamp? = nil) {
        self.user = user
        self.nick = nick
        self.roles = roles
        self.joinedAt = joinedAt
    }

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
