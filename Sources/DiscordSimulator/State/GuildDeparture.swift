/// A bot that left a guild (`/__sim/mutate` `leaveGuild`): REST answers 403 for the guild and its channels, and
/// the gateway sends that bot nothing of it.
struct GuildDeparture: Sendable, Hashable {
    let botId: UInt64
    let guildIndex: Int
}
