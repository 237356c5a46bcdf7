/// A user's membership of a thread; on a thread object, present only when the bot joined it.
public struct ThreadMember: Sendable, Hashable, Codable {
    /// Discord's `id` field.
    public var id: Snowflake<Channel>?
    /// Discord's `user_id` field.
    public var userId: Snowflake<User>?
    /// Discord's `join_timestamp` field.
    public var joinTimestamp: DiscordTimestamp?
    /// Discord's `flags` field.
    public var flags: Int?
    /// Discord's `member` field.
    public var member: GuildMember?

    /// Makes a `ThreadMember`.
    public init(id: Snowflake<Channel>?, userId: Snowflake<User>?, joinTimestamp: DiscordTimestamp?, flags: Int = 0) {
        self.id = id
        self.userId = userId
        self.joinTimestamp = joinTimestamp
        self.flags = flags
    }

    enum CodingKeys: String, CodingKey {
        case id, flags, member
        case userId = "user_id"
        case joinTimestamp = "join_timestamp"
    }
}
