import DiscordModels
import Foundation

/// What storing one ``MessagePage`` writes, decided in memory by ``MessagePagePlanner`` from the rows the archive
/// holds, so every backend applies the same message rules and only executes the plan in its own dialect. The
/// order of execution inside the page's transaction: ``writes`` (inserts and updates, with ``revisionCounts``),
/// ``revisions`` (those marked ``Revision/ifAbsent`` only when the archive has no such revision yet), ``restored``,
/// ``attachments``, the reactions of ``reactionsReplaced`` deleted then ``reactions`` upserted, ``users``, then the
/// page's checkpoint and segment.
public struct MessagePagePlan: Sendable {
    /// A message row to write: the last version of it the page gives, named by its place in ``messages`` (a
    /// backend reads the fields it binds in place, `plan.messages[write.index].content`: no message is copied).
    public struct Write: Sendable {
        /// The version's index in ``MessagePagePlan/messages`` (its exact JSON bytes in ``IndexedMessage/json``,
        /// checked UTF-8 by ``MessagePagePlanner/validate(_:)``: a backend binds those bytes as they are).
        public var index: Int
        /// The message's id.
        public var id: Snowflake<Message>
        /// The guild column: the page's guild, else the message's.
        public var guildId: Snowflake<Guild>?
        /// Whether the archive had the row before the page (an update) rather than not (an insert).
        public var replacesStored: Bool
    }

    /// A version of a message kept as a revision.
    public struct Revision: Sendable, Hashable {
        /// The message it is a version of (in the page's channel).
        public var messageId: Snowflake<Message>
        /// The version's `edited_timestamp` text (`nil` for the original).
        public var editedTimestamp: String?
        /// The version's content.
        public var content: String
        /// The version's JSON text.
        public var json: String
        /// An older version fetched out of order: add it only if the archive has no revision of the message with
        /// this edit timestamp and content (the plan already left out those the page adds twice).
        public var ifAbsent: Bool
    }

    /// The page's channel.
    public var channelId: Snowflake<Channel>
    /// The page's messages (the page's own array, shared, not copied), which ``Write/index`` indexes.
    public var messages: [IndexedMessage]
    /// Message rows to insert or update, in the order the page first gives them.
    public var writes: [Write] = []
    /// Revisions to add, in page order.
    public var revisions: [Revision] = []
    /// Tombstoned messages the page gives again: their tombstone is lifted.
    public var restored: [Snowflake<Message>] = []
    /// Attachments of the written versions (the last version naming an attachment id wins), first-seen order.
    public var attachments: [(attachment: Attachment, messageId: Snowflake<Message>, channelId: Snowflake<Channel>)] =
        []
    /// Messages the archive had whose reactions are replaced by those of their new version.
    public var reactionsReplaced: [Snowflake<Message>] = []
    /// Reaction rows to upsert (one per written message and emoji key; the last count given wins).
    public var reactions: [StoredReaction] = []
    /// Users the written versions show (authors and mentions), to upsert once decoded (see
    /// ``SeenUsers/merging(_:)``).
    public var users: [SeenUsers.Candidate] = []
    /// The counts the store reports.
    public var result = MessagePageResult()

    /// Makes an empty plan for a page of `channelId` giving `messages`.
    public init(channelId: Snowflake<Channel>, messages: [IndexedMessage] = []) {
        self.channelId = channelId
        self.messages = messages
    }

    /// The version `write` stores (a copy: the hot path reads ``messages`` in place instead).
    public func message(_ write: Write) -> IndexedMessage { messages[write.index] }

    /// The JSON text of the version `write` stores (made from its bytes at each call: the hot path binds the bytes).
    public func json(_ write: Write) -> String { String(decoding: messages[write.index].json, as: UTF8.self) }

    /// How much each message's `revision_count` grows once `kept` revisions (the certain ones and the ``Revision/ifAbsent``
    /// ones the archive did not have) are added, ascending by message id.
    public func revisionCounts(keeping kept: [Revision]) -> [(messageId: Snowflake<Message>, added: Int)] {
        var counts: [Snowflake<Message>: Int] = [:]
        for revision in kept { counts[revision.messageId, default: 0] += 1 }
        return counts.sorted { $0.key < $1.key }.map { (messageId: $0.key, added: $0.value) }
    }
}
