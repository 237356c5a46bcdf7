import DiscordModels
import Foundation

/// Gateway events turned into archive changes, committed at once (see ``LiveCaptureStore``).
public struct LiveBatch: Sendable {
    /// New and edited messages, one page per channel, each with the checkpoint it advances (if any).
    public var pages: [MessagePage] = []
    /// Deletions seen live.
    public var deletions: [LiveDeletion] = []
    /// Channels and threads created or updated.
    public var channels: [Decoded<Channel>] = []
    /// Other guild-structure writes: a guild updated, a role created or changed, a full emoji or sticker listing.
    public var objects: [ObjectWriteStep] = []
    /// Channels and threads deleted (tombstoned).
    public var deletedChannels: [Snowflake<Channel>] = []
    /// Guilds the bot was removed from (marked left; nothing is deleted).
    public var leftGuilds: [Snowflake<Guild>] = []
    /// Guilds the bot is in again (a left mark is cleared).
    public var joinedGuilds: [Snowflake<Guild>] = []
    /// Channels whose pins were read again (after CHANNEL_PINS_UPDATE): their `pinned_at` times, stored after the
    /// pages (which carry each message's `pinned` flag).
    public var pins: [ChannelPins] = []
    /// Guild members joined, changed or left, in the events' order (only for guilds whose members the archive keeps).
    public var members: [LiveMemberChange] = []
    /// The gateway session after these events.
    public var session: GatewaySessionRecord?
    /// When the batch was assembled.
    public var at: Date
    /// Whether every message of `pages` is also marked for the clip saver in the batch's transaction (`skald bot`:
    /// see ``ClipStore/clipBacklog(limit:)``), so no clip is lost to a kill between this commit and their record.
    public var marksClips = false

    /// An empty batch.
    public init(at: Date) { self.at = at }

    /// Whether the batch changes nothing but (maybe) the session.
    public var isEmpty: Bool {
        pages.isEmpty && deletions.isEmpty && channels.isEmpty && objects.isEmpty && deletedChannels.isEmpty
            && leftGuilds.isEmpty && joinedGuilds.isEmpty && pins.isEmpty && members.isEmpty
    }
}

/// Messages of one channel deleted, as seen on the gateway.
public struct LiveDeletion: Sendable, Hashable {
    /// The channel.
    public var channelId: Snowflake<Channel>
    /// The deleted messages.
    public var messageIds: [Snowflake<Message>]
    /// When the deletion was received.
    public var at: Date

    /// Makes a deletion.
    public init(channelId: Snowflake<Channel>, messageIds: [Snowflake<Message>], at: Date) {
        self.channelId = channelId
        self.messageIds = messageIds
        self.at = at
    }
}

/// What a ``LiveBatch`` changed.
public struct LiveBatchResult: Sendable, Hashable {
    /// Messages inserted.
    public var inserted = 0
    /// Messages edited (a revision kept).
    public var edited = 0
    /// Messages newly tombstoned.
    public var deleted = 0

    /// Makes a result.
    public init(inserted: Int = 0, edited: Int = 0, deleted: Int = 0) {
        self.inserted = inserted
        self.edited = edited
        self.deleted = deleted
    }
}
