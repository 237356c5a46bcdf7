import DiscordModels

/// A channel or thread whose messages a run will fetch, with what the engine knows about it.
struct ChannelPlan: Sendable {
    var channel: Channel
    var guildId: Snowflake<Guild>
    /// The parent's name for threads, for progress lines.
    var label: String
    /// The category the channel (or a thread's parent channel) sits in: `--channel` and `--exclude-channel` with a
    /// category's id select or leave out everything inside it.
    var category: Snowflake<Channel>? = nil

    var id: Snowflake<Channel> { channel.id }
    var isThread: Bool { channel.type.isThread }
}
