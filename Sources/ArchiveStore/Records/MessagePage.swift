import DiscordModels

/// A page of messages of one channel, with the progress it represents. Everything in a page commits in one
/// transaction: the messages, their attachments, reactions, authors and mentioned users, the revisions an edit
/// produces, and the checkpoint and segment — or nothing at all.
///
/// ```swift
/// let page = MessagePage(channelId: channel, guildId: guild, messages: messages,
///                        checkpoint: ChannelCheckpoint(channelId: channel, newestArchivedId: messages.last?.value.id))
/// let result = try await store.storeMessagePage(page)
/// ```
public struct MessagePage: Sendable {
    /// The channel every message belongs to (a message with another `channel_id` fails the whole page).
    public var channelId: Snowflake<Channel>
    /// The guild of the channel (REST messages do not carry it).
    public var guildId: Snowflake<Guild>?
    /// The messages, in any order, as indexed from their JSON (the hot path never builds a ``Message``).
    public var messages: [IndexedMessage]
    /// The channel's checkpoint after this page, replacing the stored one. Must name `channelId`.
    public var checkpoint: ChannelCheckpoint?
    /// The segment's state after this page, replacing the stored one with the same `(channelId, low)`.
    public var segment: ChannelSegment?

    /// Makes a page of indexed messages.
    public init(
        channelId: Snowflake<Channel>, guildId: Snowflake<Guild>?, messages: [IndexedMessage],
        checkpoint: ChannelCheckpoint? = nil, segment: ChannelSegment? = nil
    ) {
        self.channelId = channelId
        self.guildId = guildId
        self.messages = messages
        self.checkpoint = checkpoint
        self.segment = segment
    }
}

extension MessagePage {
    /// Makes a page of decoded messages (each model indexed as it is; its bytes kept).
    public init(
        channelId: Snowflake<Channel>, guildId: Snowflake<Guild>?, messages: [Decoded<Message>],
        checkpoint: ChannelCheckpoint? = nil, segment: ChannelSegment? = nil
    ) {
        self.init(
            channelId: channelId, guildId: guildId, messages: messages.map(IndexedMessage.init), checkpoint: checkpoint,
            segment: segment)
    }
}
