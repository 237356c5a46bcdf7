/// One entry of `GET /guilds/{guild_id}/scheduled-events/{event_id}/users`: a user interested in an event.
public struct ScheduledEventUser: Sendable, Hashable, Codable {
    /// The event.
    public var guildScheduledEventId: Snowflake<ScheduledEvent>
    /// The user.
    public var user: User
    /// The guild member, with `with_member=true`.
    public var member: GuildMember?

    /// Creates an entry.
    public init(guildScheduledEventId: Snowflake<ScheduledEvent>, user: User, member: GuildMember? = nil) {
        self.guildScheduledEventId = guildScheduledEventId
        self.user = user
        self.member = member
    }

    enum CodingKeys: String, CodingKey {
        case user, member
        case guildScheduledEventId = "guild_scheduled_event_id"
    }
}
