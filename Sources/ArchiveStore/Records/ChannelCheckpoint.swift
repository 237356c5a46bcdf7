import DiscordModels
import Foundation

/// How far a channel has been archived. Written by the engine in the same transaction as the page it covers
/// (``MessagePage/checkpoint``), so a crash never leaves a checkpoint ahead of the data or data without one.
///
/// The archive of a channel is the contiguous id range `oldestArchivedId ... newestArchivedId`, plus any
/// finished ``ChannelSegment``s when a huge channel is split into ranges fetched in parallel.
public struct ChannelCheckpoint: Sendable, Hashable, Codable {
    /// The channel id.
    public var channelId: Snowflake<Channel>
    /// The guild id.
    public var guildId: Snowflake<Guild>?
    /// The backfill has reached the channel's first message: nothing older remains to fetch.
    public var backfillComplete: Bool
    /// The lowest message id of the contiguous archived range.
    public var oldestArchivedId: Snowflake<Message>?
    /// The highest message id of the contiguous archived range: the high-water mark incremental sync
    /// continues after.
    public var newestArchivedId: Snowflake<Message>?
    /// The `before` cursor of a newest-to-oldest backfill in progress (`nil` when none is in progress).
    public var backfillCursor: Snowflake<Message>?
    /// When the channel was last brought up to date.
    public var lastSyncAt: Date?
    /// When the archived messages were last compared with Discord to find edits and deletions.
    public var lastRecheckAt: Date?
    /// Where the last recheck stopped, to resume a long recheck.
    public var recheckCursor: Snowflake<Message>?

    /// Makes a checkpoint; everything but the channel is optional.
    public init(
        channelId: Snowflake<Channel>, guildId: Snowflake<Guild>? = nil, backfillComplete: Bool = false,
        oldestArchivedId: Snowflake<Message>? = nil, newestArchivedId: Snowflake<Message>? = nil,
        backfillCursor: Snowflake<Message>? = nil, lastSyncAt: Date? = nil, lastRecheckAt: Date? = nil,
        recheckCursor: Snowflake<Message>? = nil
    ) {
        self.channelId = channelId
        self.guildId = guildId
        self.backfillComplete = backfillComplete
        self.oldestArchivedId = oldestArchivedId
        self.newestArchivedId = newestArchivedId
        self.backfillCursor = backfillCursor
        self.lastSyncAt = lastSyncAt
        self.lastRecheckAt = lastRecheckAt
        self.recheckCursor = recheckCursor
    }
}
