import DiscordModels

/// Decides what storing a ``MessagePage`` writes: per message ``MessageChange/classify(stored:incoming:incomingJSON:)``
/// against what the archive holds (and what the page itself wrote before it, so a page naming one message twice
/// ends as if its versions were stored one after the other), then the attachments, reactions and users of the
/// versions written. Pure: the backend reads the stored rows, calls ``plan(_:texts:stored:)`` and executes the
/// ``MessagePagePlan``.
///
/// ```swift
/// let texts = try MessagePagePlanner.validate(page) { try jsonText($0.json, what: "message \($0.id)") }
/// let stored = …   // SELECT edited_timestamp, content, json, deleted_at of the page's ids
/// let plan = MessagePagePlanner.plan(page, texts: texts, stored: stored)
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

    /// Checks that every message and the checkpoint and segment name the page's channel, and returns the messages'
    /// JSON texts (`jsonText` is the backend's rule for storable JSON text).
    /// - Throws: ``ArchiveStoreError/invalidPage(_:)``, or what `jsonText` throws; nothing may then be stored.
    public static func validate(_ page: MessagePage, jsonText: (IndexedMessage) throws -> String) throws
        -> [String]
    {
        var texts: [String] = []
        texts.reserveCapacity(page.messages.count)
        for message in page.messages {
            guard message.channelId == page.channelId else {
                throw invalid("message \(message.id) of channel \(message.channelId)", page)
            }
            texts.append(try jsonText(message))
        }
        if let checkpoint = page.checkpoint, checkpoint.channelId != page.channelId {
            throw invalid("checkpoint of channel \(checkpoint.channelId)", page)
        }
        if let segment = page.segment, segment.channelId != page.channelId {
            throw invalid("segment of channel \(segment.channelId)", page)
        }
        return texts
    }

    private static func invalid(_ what: String, _ page: MessagePage) -> ArchiveStoreError {
        .invalidPage("\(what) in a page of channel \(page.channelId); nothing of the page was stored")
    }

    /// Plans a validated page: `texts` are the JSON texts ``validate(_:jsonText:)`` returned, `stored` what the
    /// archive holds for the page's message ids (absent ids are new).
    public static func plan(
        _ page: MessagePage, texts: [String], stored: [Snowflake<Message>: Stored]
    ) -> MessagePagePlan {
        var plan = MessagePagePlan(channelId: page.channelId)
        var states = stored
        var writeIndex: [Snowflake<Message>: Int] = [:]
        var changed: [IndexedMessage] = []
        var revisionKeys: Set<RevisionKey> = []

        func write(_ message: IndexedMessage, json: String) {
            let id = message.id
            let row = MessagePagePlan.Write(
                message: message, json: json, guildId: page.guildId ?? message.guildId,
                replacesStored: stored[id] != nil)
            if let index = writeIndex[id] {
                plan.writes[index] = row
            } else {
                writeIndex[id] = plan.writes.count
                plan.writes.append(row)
            }
            changed.append(message)
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

        for (message, json) in zip(page.messages, texts) {
            let id = message.id
            let state = states[id]
            let incoming = MessageChange.Stored(
                editedTimestamp: message.editedTimestamp, content: message.content, json: json)
            switch MessageChange.classify(
                stored: state?.version, incomingEdited: message.editedTimestamp, incomingContent: message.content,
                incomingJSON: json)
            {
            case .new:
                write(message, json: json)
                states[id] = Stored(version: incoming, deleted: false)
                plan.result.inserted += 1
            case .unchanged:
                plan.result.unchanged += 1
            case .refreshed:
                write(message, json: json)
                states[id]?.version = incoming
                plan.result.refreshed += 1
            case .edited:
                guard let previous = state?.version else { break }
                addRevision(id, previous, ifAbsent: false)
                write(message, json: json)
                states[id]?.version = incoming
                plan.result.edited += 1
            case .olderVersion:
                addRevision(id, incoming, ifAbsent: true)
                plan.result.unchanged += 1
            }
            if state?.deleted == true {
                states[id]?.deleted = false
                plan.restored.append(id)
                plan.result.restored += 1
            }
        }

        plan.reactionsReplaced = plan.writes.filter(\.replacesStored).map(\.message.id)
        var attachmentIndex: [Snowflake<Attachment>: Int] = [:]
        for message in changed {
            for summary in message.attachments {
                let row = (attachment: summary.attachment, messageId: message.id, channelId: message.channelId)
                if let index = attachmentIndex[summary.id] {
                    plan.attachments[index] = row
                } else {
                    attachmentIndex[summary.id] = plan.attachments.count
                    plan.attachments.append(row)
                }
            }
        }
        for write in plan.writes {
            var reactionIndex: [String: Int] = [:]
            for reaction in write.message.reactions ?? [] {
                let key = StoredReaction.emojiKey(id: reaction.emojiId, name: reaction.emojiName)
                if let index = reactionIndex[key] {
                    plan.reactions[index].count = reaction.count
                    plan.reactions[index].normalCount = reaction.normalCount
                    plan.reactions[index].burstCount = reaction.burstCount
                    continue
                }
                reactionIndex[key] = plan.reactions.count
                plan.reactions.append(
                    StoredReaction(
                        messageId: write.message.id, emojiKey: key, emojiId: reaction.emojiId,
                        emojiName: reaction.emojiName, count: reaction.count, normalCount: reaction.normalCount,
                        burstCount: reaction.burstCount))
            }
        }
        plan.users = SeenUsers.candidates(in: changed)
        return plan
    }

    /// A revision's identity among those of one message: its edit state and content.
    private struct RevisionKey: Hashable {
        var id: Snowflake<Message>
        var edited: String?
        var content: String
    }
}
