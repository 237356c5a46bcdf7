import DiscordModels
import Foundation

/// Messages in the archive: pages stored with the checkpoint and segment they advance, tombstones, reactions,
/// attachments as listed by Discord, and the reads the engine and the exporters need (see ``ArchiveStore`` for the
/// guarantees; messages are identified by (channel, id)).
///
/// ```swift
/// let result = try await store.storeMessagePage(MessagePage(channelId: c, guildId: g, messages: page,
///                                                           checkpoint: checkpoint))
/// for try await batch in store.messageBatches(in: c) { export(batch) }
/// ```
public protocol MessageStore: Sendable {
    /// Stores a page of messages with its checkpoint and segment in one transaction.
    ///
    /// Per message: a new id is inserted; identical JSON changes nothing; a newer `edited_timestamp` (or other
    /// content with the same one) saves the stored version as a revision and replaces it; a difference only in
    /// volatile parts (re-signed attachment URLs, reaction counts, embeds, pins) updates the current row without
    /// a revision; an older version than the stored one is kept as a revision only; an empty-content view of a
    /// message stored with content (a token without MESSAGE_CONTENT) is ignored. A tombstoned message that
    /// comes back loses its tombstone. Authors and mentioned users are upserted (the profile shown by the
    /// newest message wins, see ``StructureStore/storeUsers(_:observedAt:)``), webhook authors excepted.
    /// - Throws: ``ArchiveStoreError/invalidPage(_:)`` when a message or the checkpoint names another channel,
    ///   ``ArchiveStoreError/invalidJSON(_:)`` when JSON is not UTF-8; then nothing of the page is stored.
    @discardableResult
    func storeMessagePage(_ page: MessagePage) async throws -> MessagePageResult

    /// Stores several pages (of one or several channels) in one transaction, each as
    /// ``storeMessagePage(_:)`` stores it, in the order given: all of them with their checkpoints and segments, or
    /// nothing. The archive engine groups the pages of its fetchers this way (one commit for many pages).
    /// - Returns: each page's result, in the order of `pages`.
    /// - Throws: what ``storeMessagePage(_:)`` throws for any of the pages; then nothing of any page is stored.
    @discardableResult
    func storeMessagePages(_ pages: [MessagePage]) async throws -> [MessagePageResult]

    /// Sets the tombstone of the given messages of `channel` that are not tombstoned yet, and writes the
    /// checkpoint (e.g. the recheck time) in the same transaction. Unknown ids are ignored.
    /// - Returns: how many messages were newly tombstoned.
    @discardableResult
    func markMessagesDeleted(
        _ ids: [Snowflake<Message>], in channel: Snowflake<Channel>, at date: Date, checkpoint: ChannelCheckpoint?
    ) async throws -> Int

    /// Stores the users who reacted with `emojiKey` (see ``StoredReaction/emojiKey(_:)``) on the message `message`
    /// of `channel`; `burst` selects super-reactions (`type=1`). Adds to the users already stored; the users are
    /// upserted.
    /// - Throws: ``ArchiveStoreError`` when the archive does not have that message.
    func storeReactionUsers(
        _ users: [Decoded<User>], message: Snowflake<Message>, in channel: Snowflake<Channel>, emojiKey: String,
        burst: Bool, observedAt: Date
    ) async throws

    /// Writes a channel's checkpoint on its own (e.g. `backfillComplete` after an empty page).
    func saveCheckpoint(_ checkpoint: ChannelCheckpoint) async throws

    /// The checkpoint of one channel.
    func checkpoint(for channel: Snowflake<Channel>) async throws -> ChannelCheckpoint?

    /// Every checkpoint, ascending by channel id.
    func checkpoints() async throws -> [ChannelCheckpoint]

    /// Writes segments on their own (e.g. planning the ranges of a huge channel).
    func saveSegments(_ segments: [ChannelSegment]) async throws

    /// The segments of a channel, ascending by `low`.
    func segments(of channel: Snowflake<Channel>) async throws -> [ChannelSegment]

    /// The ids of a channel's messages, ascending; tombstoned ones too unless `includeDeleted` is false.
    func messageIDs(in channel: Snowflake<Channel>, includeDeleted: Bool) async throws -> [Snowflake<Message>]

    /// Up to `limit` messages of a channel with ids greater than `after` (from the first when `nil`), ascending:
    /// the batch API behind ``messageBatches(in:batchSize:after:)``.
    func messages(in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int) async throws
        -> [StoredMessage]

    /// Up to `limit` messages of a channel with ids greater than `after` (from the first when `nil`), ascending,
    /// tombstoned ones included, as an export reads them: ``messages(in:after:limit:)`` without the columns
    /// rendering does not use. A default implementation reads the whole rows.
    func messageJSON(in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int) async throws
        -> [MessageJSONRow]

    /// The messages of a channel with `range.lowerBound <= id <= range.upperBound`, ascending, tombstoned ones
    /// included (for the recheck: compare with Discord, find edits and deletions).
    func messages(in channel: Snowflake<Channel>, ids range: ClosedRange<Snowflake<Message>>) async throws
        -> [StoredMessage]

    /// One message, whichever its channel. When the id has two rows (a message and the starter message of the
    /// thread started from it) this is the parent channel's message: rows of type 21 (thread starter) come last,
    /// then rows whose channel id equals the message id (the thread's own), then by channel id.
    func message(_ id: Snowflake<Message>) async throws -> StoredMessage?

    /// The message `id` of `channel`, or `nil`.
    func message(_ id: Snowflake<Message>, in channel: Snowflake<Channel>) async throws -> StoredMessage?

    /// Earlier versions of the message `message` of `channel`, oldest first.
    func revisions(of message: Snowflake<Message>, in channel: Snowflake<Channel>) async throws -> [MessageRevision]

    /// The reactions stored for the message `message` of `channel`, by emoji key.
    func reactions(of message: Snowflake<Message>, in channel: Snowflake<Channel>) async throws -> [StoredReaction]

    /// The ids of users stored as having reacted with `emojiKey` on the message `message` of `channel`, ascending.
    func reactionUserIDs(
        of message: Snowflake<Message>, in channel: Snowflake<Channel>, emojiKey: String, burst: Bool
    ) async throws -> [Snowflake<User>]

    /// Whether any reaction users are stored for messages of `channel` (an export skips its per-reaction look-ups
    /// when none are).
    func hasReactionUsers(in channel: Snowflake<Channel>) async throws -> Bool

    /// ``reactionUserIDs(of:in:emojiKey:burst:)`` for several messages of `channel` in one look-up (a page of
    /// messages): by message, then by emoji key, the users ascending; messages without reaction users are absent.
    func reactionUserIDs(of messages: [Snowflake<Message>], in channel: Snowflake<Channel>, burst: Bool)
        async throws -> [Snowflake<Message>: [String: [Snowflake<User>]]]

    /// The attachments of the message `message` of `channel`, ascending by id.
    func attachments(of message: Snowflake<Message>, in channel: Snowflake<Channel>) async throws
        -> [StoredAttachment]

    /// Messages whose content matches every word of `text` (full-text search; tombstoned ones included),
    /// newest first, optionally within one channel.
    func searchMessages(_ text: String, in channel: Snowflake<Channel>?, limit: Int) async throws -> [StoredMessage]
}
