import DiscordModels

/// A channel's pins as the pins route listed them, whole: when each pinned message was pinned. Storing it sets
/// `pinned_at` for these messages and clears it for every other message of the channel.
public struct ChannelPins: Sendable, Hashable {
    /// The channel.
    public var channelId: Snowflake<Channel>
    /// Each pinned message's `pinned_at`, as Discord wrote it.
    public var pinnedAt: [Snowflake<Message>: String]

    /// Makes a channel's pin list.
    public init(channelId: Snowflake<Channel>, pinnedAt: [Snowflake<Message>: String]) {
        self.channelId = channelId
        self.pinnedAt = pinnedAt
    }
}
