import DiscordModels

/// One snowflake range of a channel, fetched independently of the others so a huge channel can be backfilled
/// in parallel. Keyed by `(channelId, low)`; each worker writes only its own segment, in the same transaction as
/// its page (``MessagePage/segment``).
public struct ChannelSegment: Sendable, Hashable, Codable {
    /// The channel id.
    public var channelId: Snowflake<Channel>
    /// The inclusive lower bound of the range (a message id, or a snowflake made from a date).
    public var low: Snowflake<Message>
    /// The exclusive upper bound of the range.
    public var high: Snowflake<Message>
    /// The last message id archived within the range while fetching oldest to newest (`nil` before the first
    /// page): fetching resumes `after` it.
    public var cursor: Snowflake<Message>?
    /// The whole range is archived.
    public var done: Bool

    /// Makes a segment.
    public init(
        channelId: Snowflake<Channel>, low: Snowflake<Message>, high: Snowflake<Message>,
        cursor: Snowflake<Message>? = nil, done: Bool = false
    ) {
        self.channelId = channelId
        self.low = low
        self.high = high
        self.cursor = cursor
        self.done = done
    }
}
