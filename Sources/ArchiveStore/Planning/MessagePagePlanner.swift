import DiscordModels
import Foundation

/// Decides what storing a ``MessagePage`` writes: per message ``MessageChange/classify(stored:incoming:incomingJSON:)``
/// against what the archive holds (and what the page itself wrote before it, so a page naming one message twice
/// ends as if its versions were stored one after the other), then the attachments, reactions and users of the
/// versions written. Pure: the backend reads the stored rows, calls ``plan(_:stored:)`` and executes the
/// ``MessagePagePlan``.
///
/// ```swift
/// try MessagePagePlanner.validate(page)
/// let stored = …   // SELECT edited_timestamp, content, json, deleted_at of the page's ids
/// let plan = MessagePagePlanner.plan(page, stored: stored)
/// ```
public enum MessagePagePlanner {
    /// What the archive holds for one message of the page's channel.
    public struct Stored: Sendable, Hashable {
        /// The parts that decide.
        public var version: MessageChange.Stored
        /// Whether the row has a tombstone.
        public var deleted: Bool

        /// Makes the stored side.
        public init(version: MessageChange.Stored, deleted: Bool) {
            self.version = version
            self.deleted = deleted
        }
    }

    /// Checks that every message and the checkpoint and segment name the page's channel, and that every message's
    /// JSON is UTF-8 text (checked in place: no `String` is made of it; a message the page scanner already checked,
    /// ``IndexedMessage/isKnownUTF8``, is not read again).
    /// - Throws: ``ArchiveStoreError/invalidPage(_:)`` or ``ArchiveStoreError/invalidJSON(_:)``; nothing may then be
    ///   stored.
    public static func validate(_ page: MessagePage) throws {
        // The messages are read in place, field by field: a copy of each (a dozen references retained and
        // released) cost more than the checks.
        for index in page.messages.indices {
            let channelId = page.messages[index].channelId
            guard channelId == page.channelId else {
                throw invalid("message \(page.messages[index].id) of channel \(channelId)", page)
            }
            // The page scanner checked the messages it indexed, their bytes then in the cache
            // (``IndexedMessage/isKnownUTF8``).
            guard page.messages[index].isKnownUTF8 || UTF8Validation.isValid(page.messages[index].json) else {
                throw ArchiveStoreError.invalidJSON(
                    "message \(page.messages[index].id) is not UTF-8 JSON text; nothing of the batch was stored")
            }
        }
        if let checkpoint = page.checkpoint, checkpoint.channelId != page.channelId {
            throw invalid("checkpoint of channel \(checkpoint.channelId)", page)
        }
        if let segment = page.segment, segment.channelId != page.channelId {
            throw invalid("segment of channel \(segment.channelId)", page)
        }
    }

    private static func invalid(_ what: String, _ page: MessagePage) -> ArchiveStoreError {
        .invalidPage("\(what) in a page of channel \(page.channelId); nothing of the page was stored")
    }

    /// Plans a page ``validate(_:)`` accepted: `stored` is what the archive holds for the page's message ids (absent
    /// ids are new). Each message's JSON stays the bytes it came with (``MessagePagePlan/Write/message``): a `String`
    /// of it is made only for a version compared with another of the same page or kept as a revision.
    public static func plan(_ page: MessagePage, stored: [Snowflake<Message>: Stored]) -> MessagePagePlan {
        // The messages are read in place, field by field, and a write names its message by index: a copy of each
        // message (a dozen references retained and released) cost more than planning it.
        let messages = page.messages
        var plan = MessagePagePlan(channelId: page.channelId, messages: messages)
        plan.writes.reserveCapacity(messages.count)
        // What each message of the page is once the page's earlier versions of it are applied: the stored version
        // or the page's own (by index), its tombstone, and its row among the writes. A page whose ids are strictly
        // monotonic (every REST page) names each message once: nothing carries over and no state is kept.
        let distinct = strictlyMonotonic(messages)
        var states: [Snowflake<Message>: PageState] = [:]
        if !distinct { states.reserveCapacity(messages.count) }
        var changed: [Int] = []
        changed.reserveCapacity(messages.count)
        var revisionKeys: Set<RevisionKey> = []

        func storedVersion(_ version: PageState.Version) -> MessageChange.Stored {
            switch version {
            case .stored(let stored): return stored
            case .page(let index): return MessageChange.Stored(messages[index])
            }
        }
        func addRevision(_ id: Snowflake<Message>, _ version: MessageChange.Stored, ifAbsent: Bool) {
            guard
                revisionKeys.insert(RevisionKey(id: id, edited: version.editedTimestamp, content: version.content))
                    .inserted || !ifAbsent
            else { return }
            plan.revisions.append(
                MessagePagePlan.Revision(
                    messageId: id, editedTimestamp: version.editedTimestamp, content: version.content,
                    json: version.json, ifAbsent: ifAbsent))
        }

        for index in messages.indices {
            let id = messages[index].id
            let archived = stored.isEmpty ? nil : stored[id]
            var state =
                (distinct ? nil : states[id])
                ?? archived.map { PageState(version: .stored($0.version), deleted: $0.deleted, write: nil) }
            func write() {
                let row = MessagePagePlan.Write(
                    index: index, id: id, guildId: page.guildId ?? messages[index].guildId,
                    replacesStored: archived != nil)
                if let at = state?.write {
                    plan.writes[at] = row
                } else {
                    state?.write = plan.writes.count
                    plan.writes.append(row)
                }
                changed.append(index)
            }
            // A message neither archived nor earlier in the page is new: nothing of it is read to classify it.
            let previous = state.map { storedVersion($0.version) }
            let change =
                previous == nil
                ? MessageChange.new
                : MessageChange.classify(
                    stored: previous, incomingEdited: messages[index].editedTimestamp,
                    incomingContent: messages[index].content, incomingJSON: messages[index].json)
            switch change {
            case .new:
                state = PageState(version: .page(index), deleted: false, write: nil)
                write()
                plan.result.inserted += 1
            case .unchanged:
                plan.result.unchanged += 1
            case .refreshed:
                write()
                state?.version = .page(index)
                plan.result.refreshed += 1
            case .edited:
                guard let previous else { break }
                addRevision(id, previous, ifAbsent: false)
                write()
                state?.version = .page(index)
                plan.result.edited += 1
            case .olderVersion:
                addRevision(id, MessageChange.Stored(messages[index]), ifAbsent: true)
                plan.result.unchanged += 1
            }
            if state?.deleted == true {
                state?.deleted = false
                plan.restored.append(id)
                plan.result.restored += 1
            }
            if !distinct { states[id] = state }
        }

        plan.reactionsReplaced = plan.writes.filter(\.replacesStored).map(\.id)
        var attachmentIndex: [Snowflake<Attachment>: Int] = [:]
        for index in changed where !messages[index].attachments.isEmpty {
            let (messageId, channelId) = (messages[index].id, messages[index].channelId)
            for summary in messages[index].attachments {
                let row = (attachment: summary.attachment, messageId: messageId, channelId: channelId)
                if let index = attachmentIndex[summary.id] {
                    plan.attachments[index] = row
                } else {
                    attachmentIndex[summary.id] = plan.attachments.count
                    plan.attachments.append(row)
                }
            }
        }
        for row in plan.writes.indices {
            guard let reactions = messages[plan.writes[row].index].reactions else { continue }
            let messageId = plan.writes[row].id
            // A message has a few distinct reactions (Discord allows 20): its rows so far are searched in place, with
            // no dictionary (and no hashing of its keys) per message.
            let first = plan.reactions.endIndex
            for reaction in reactions {
                let key = StoredReaction.emojiKey(id: reaction.emojiId, name: reaction.emojiName)
                if let index = plan.reactions[first...].firstIndex(where: { $0.emojiKey == key }) {
                    plan.reactions[index].count = reaction.count
                    plan.reactions[index].normalCount = reaction.normalCount
                    plan.reactions[index].burstCount = reaction.burstCount
                    continue
                }
                plan.reactions.append(
                    StoredReaction(
                        messageId: messageId, emojiKey: key, emojiId: reaction.emojiId,
                        emojiName: reaction.emojiName, count: reaction.count, normalCount: reaction.normalCount,
                        burstCount: reaction.burstCount))
            }
        }
        plan.users = SeenUsers.candidates(in: messages, at: changed)
        return plan
    }

    /// Whether the ids of `messages` strictly ascend or strictly descend (then no id is given twice).
    static func strictlyMonotonic(_ messages: [IndexedMessage]) -> Bool {
        guard messages.count > 1 else { return true }
        let descending = messages[0].id > messages[1].id
        for index in 1..<messages.count {
            let (earlier, later) = (messages[index - 1].id, messages[index].id)
            guard descending ? earlier > later : earlier < later else { return false }
        }
        return true
    }

    /// A message of the page as the planner goes: the version it stands at, its tombstone, its row in the writes.
    private struct PageState {
        enum Version {
            /// The archive's version.
            case stored(MessageChange.Stored)
            /// The version at this index of the page.
            case page(Int)
        }

        var version: Version
        var deleted: Bool
        var write: Int?
    }

    /// A revision's identity among those of one message: its edit state and content.
    private struct RevisionKey: Hashable {
        var id: Snowflake<Message>
        var edited: String?
        var content: String
    }
}

extension MessageChange.Stored {
    /// The version `message` is, as the planner compares and keeps it (its JSON bytes made text).
    init(_ message: IndexedMessage) {
        self.init(
            editedTimestamp: message.editedTimestamp, content: message.content,
            json: String(decoding: message.json, as: UTF8.self))
    }
}
