import DiscordModels

/// A channel or thread whose messages a run will fetch, with what the engine knows about it.
struct ChannelPlan: Sendable {
    var channel: Channel
    var guildId: Snowflake<Guild>
    /// The parent's name for threads, for progress lines.
    var label: String

    var id: Snowflake<Channel> { channel.id }
    var isThread: Bool { channel.type.isThread }
}
