/// A user's membership of a thread; on a thread object, present only when the bot joined it.
public struct ThreadMember: Sendable, Hashable, Codable {
    public var id: Snowflake<Channel>?
    public var userId: Snowflake<User>?
    public var joinTimestamp: DiscordTimestamp?
    public var flags: Int?
    public var member: GuildMember?

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
