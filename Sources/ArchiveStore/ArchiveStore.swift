import DiscordModels
import Foundation

/// Where the archive lives: a backend-neutral, async store (SQLite through GRDB today, PostgreSQL next).
///
/// Guarantees every backend keeps (the conformance suite in `StoreTests` checks them):
/// - **Lossless**: every object keeps the exact JSON Discord sent beside its typed columns.
/// - **Atomic pages**: a ``MessagePage`` (messages, attachments, reactions, users, revisions, checkpoint,
///   segment) commits in one transaction or not at all.
/// - **Idempotent**: storing the same data twice changes nothing.
/// - **Never deletes**: an edit keeps the previous version as a ``MessageRevision``; a deletion sets a
///   tombstone; a meaningful change to a guild, channel, role, emoji, sticker or scheduled event keeps the
///   previous JSON as a ``HistoryEntry``.
/// - **Messages are identified by (channel, id)**, never by id alone: a thread started from a message has that
///   message's id, and the thread's first message (``MessageType`` 21, thread starter) has the same id, so one id
///   can have a row in the parent channel and another in the thread. Both are kept; revisions, reactions,
///   reaction users, attachments and imported-message sources belong to one of them. Attachment ids are unique.
///
/// ```swift
/// let store: any ArchiveStore = try SQLiteArchiveStore(path: "skald-archive/archive.sqlite")
/// try await store.storeGuild(GuildSnapshot(guild: guild, channels: channels, roles: roles))
/// let result = try await store.storeMessagePage(MessagePage(channelId: c, guildId: g, messages: page,
///                                                           checkpoint: checkpoint))
/// for try await batch in store.messageBatches(in: c) { export(batch) }
/// ```
public protocol ArchiveStore: Sendable {
    // MARK: Guild structure

    /// Stores a guild and the complete listings given with it, in one transaction. Listings given are taken
    /// as complete: missing objects of that kind get a tombstone (see ``GuildSnapshot``).
    @discardableResult
    func storeGuild(_ snapshot: GuildSnapshot) async throws -> ObjectChanges

    /// Upserts channels or threads (no tombstones), keeping previous versions in the history when they
    /// meaningfully change. A channel without `guild_id` keeps the guild already stored for it.
    @discardableResult
    func storeChannels(_ channels: [Decoded<Channel>]) async throws -> ObjectChanges

    /// Upserts guild members (`GET /guilds/{id}/members`); their users are upserted too.
    func storeMembers(_ members: [Decoded<GuildMember>], guild: Snowflake<Guild>, observedAt: Date) async throws

    /// Upserts users seen outside messages (current user, members, reaction users). Every sighting is ordered
    /// by a snowflake (a message's id, or one made from `observedAt`); a user keeps the latest sighting's
    /// profile, so storing old data again never rolls a profile back.
    func storeUsers(_ users: [Decoded<User>], observedAt: Date) async throws

    // MARK: Messages

    /// Stores a page of messages with its checkpoint and segment in one transaction.
    ///
    /// Per message: a new id is inserted; identical JSON changes nothing; a newer `edited_timestamp` (or other
    /// content with the same one) saves the stored version as a revision and replaces it; a difference only in
    /// volatile parts (re-signed attachment URLs, reaction counts, embeds, pins) updates the current row without
    /// a revision; an older version than the stored one is kept as a revision only; an empty-content view of a
    /// message stored with content (a token without MESSAGE_CONTENT) is ignored. A tombstoned message that
    /// comes back loses its tombstone. Authors and mentioned users are upserted (the profile shown by the
    /// newest message wins, see ``storeUsers(_:observedAt:)``), webhook authors excepted.
    /// - Throws: ``ArchiveStoreError/invalidPage(_:)`` when a message or the checkpoint names another channel,
    ///   ``ArchiveStoreError/invalidJSON(_:)`` when JSON is not UTF-8; then nothing of the page is stored.
    @discardableResult
    func storeMessagePage(_ page: MessagePage) async throws -> MessagePageResult

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

    // MARK: Checkpoints

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

    // MARK: Queries

    /// Counts over the whole archive.
    func stats() async throws -> ArchiveStats

    /// Archived channels and threads, ascending by id; all guilds when `guild` is `nil`.
    func channels(in guild: Snowflake<Guild>?) async throws -> [StoredChannel]

    /// The current version of an object of a guild-structure kind, or a user.
    func object(_ kind: ObjectKind, id: AnySnowflake) async throws -> StoredObject?

    /// The current versions of every object of a kind in a guild (all guilds when `nil`), ascending by id.
    func objects(_ kind: ObjectKind, in guild: Snowflake<Guild>?) async throws -> [StoredObject]

    /// Previous versions of an object, oldest first.
    func history(_ kind: ObjectKind, id: AnySnowflake) async throws -> [HistoryEntry]

    /// The ids of a channel's messages, ascending; tombstoned ones too unless `includeDeleted` is false.
    func messageIDs(in channel: Snowflake<Channel>, includeDeleted: Bool) async throws -> [Snowflake<Message>]

    /// Up to `limit` messages of a channel with ids greater than `after` (from the first when `nil`), ascending:
    /// the batch API behind ``messageBatches(in:batchSize:)``.
    func messages(in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int) async throws
        -> [StoredMessage]

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

    /// Messages whose content matches every word of `text` (full-text search; tombstoned ones included),
    /// newest first, optionally within one channel.
    func searchMessages(_ text: String, in channel: Snowflake<Channel>?, limit: Int) async throws -> [StoredMessage]

    // MARK: Media

    /// The attachments of the message `message` of `channel`, ascending by id.
    func attachments(of message: Snowflake<Message>, in channel: Snowflake<Channel>) async throws
        -> [StoredAttachment]

    /// Attachments whose media is not downloaded yet, ascending by id after `after`, skipping those that
    /// already failed `maxFailures` times or more.
    func attachmentsLackingDownload(after: Snowflake<Attachment>?, maxFailures: Int, limit: Int) async throws
        -> [StoredAttachment]

    /// Records a finished download (clears any earlier failure).
    func recordDownload(of attachment: Snowflake<Attachment>, sha256: String, localPath: String, at date: Date)
        async throws

    /// Records a failed download attempt; ignored when the attachment was downloaded meanwhile (by another
    /// process sharing the archive), so no stale error stands beside a valid local path.
    func recordDownloadFailure(of attachment: Snowflake<Attachment>, reason: String, at date: Date) async throws

    // MARK: Runs

    /// Records the start of a run.
    func startRun(_ run: RunRecord) async throws

    /// Records a channel that failed or was skipped during a run.
    /// - Throws: ``ArchiveStoreError/unknownRun(_:)`` when the run was never started.
    func recordRunIssue(_ issue: RunIssue, run: UUID) async throws

    /// Records how a run ended and its counters.
    /// - Throws: ``ArchiveStoreError/unknownRun(_:)`` when the run was never started.
    func finishRun(_ run: UUID, status: RunStatus, counts: [String: Int], at date: Date) async throws

    /// The most recent runs (newest first) with their issues.
    func runs(limit: Int) async throws -> [RunRecord]

    // MARK: Imported exports (DiscordChatExporter files)

    /// Stages messages of one file being imported under `stage`; nothing is visible until
    /// ``commitImport(stage:channel:)``. A message staged twice in a stage keeps the later version.
    func stageImportedMessages(_ messages: [ImportedMessage], stage: UUID) async throws

    /// Merges a stage into the imported messages in one transaction, then drops the stage: a new (channel, id) is
    /// inserted, identical JSON changes nothing, different JSON replaces the stored version. Each message records
    /// `channel.source` as a file it came from; the channel header is replaced by `channel`.
    @discardableResult
    func commitImport(stage: UUID, channel: ImportedChannel) async throws -> ImportResult

    /// Drops a stage without importing anything of it (the file was malformed or the import was cancelled).
    func discardImport(stage: UUID) async throws

    /// The headers of every imported channel, ascending by channel id.
    func importedChannels() async throws -> [ImportedChannel]

    /// Up to `limit` imported messages of a channel with ids greater than `after`, ascending.
    func importedMessages(in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int) async throws
        -> [ImportedMessage]

    /// The files a message id was imported from in any channel, in import order, each once (empty for messages
    /// never imported).
    func messageSources(of message: Snowflake<Message>) async throws -> [String]

    /// The files the message `message` of `channel` was imported from, in import order.
    func messageSources(of message: Snowflake<Message>, in channel: Snowflake<Channel>) async throws -> [String]

    /// The stored guild member JSON (`GET /guilds/{g}/members`) of a user, or `nil`.
    func member(_ user: Snowflake<User>, in guild: Snowflake<Guild>) async throws -> Data?
}
