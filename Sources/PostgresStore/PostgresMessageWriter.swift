import ArchiveStore
import DiscordModels
import Foundation
import Logging
import PostgresNIO

/// Writes a page inside one transaction with the store's message rules (``MessageChange``), in bulk: the stored
/// versions of the page's messages are read (and locked) in one query, the rules run in memory message by message
/// exactly as the SQLite backend applies them row by row (so a page naming one message twice ends the same), and
/// the outcome is written with one multi-row statement per table.
struct PostgresMessageWriter {
    let connection: PostgresConnection
    let logger: Logger
    let nowText: String

    /// What the archive holds for one message id, as the page is applied.
    private struct State {
        var stored: MessageChange.Stored
        var deleted: Bool
    }

    /// The last version of a message the page writes.
    private struct Write {
        var message: Decoded<Message>
        var json: String
        var guildId: Snowflake<Guild>?
    }

    func store(_ page: MessagePage) async throws -> MessagePageResult {
        // Everything that can make the page invalid is checked before anything is written (the transaction would
        // undo it anyway, but a failed statement costs a round trip).
        var texts: [String] = []
        texts.reserveCapacity(page.messages.count)
        for message in page.messages {
            let value = message.value
            guard value.channelId == page.channelId else {
                throw ArchiveStoreError.invalidPage(
                    "message \(value.id) of channel \(value.channelId) in a page of channel \(page.channelId); "
                        + "nothing of the page was stored")
            }
            texts.append(try jsonText(message.json, what: "message \(value.id)"))
        }
        if let checkpoint = page.checkpoint, checkpoint.channelId != page.channelId {
            throw ArchiveStoreError.invalidPage(
                "checkpoint of channel \(checkpoint.channelId) in a page of channel \(page.channelId); "
                    + "nothing of the page was stored")
        }
        if let segment = page.segment, segment.channelId != page.channelId {
            throw ArchiveStoreError.invalidPage(
                "segment of channel \(segment.channelId) in a page of channel \(page.channelId); "
                    + "nothing of the page was stored")
        }

        var result = MessagePageResult()
        var states: [Int64: State] = [:]
        if !page.messages.isEmpty {
            let ids = Array(Set(page.messages.map(\.value.id.pgID))).sorted()
            for try await (id, edited, content, json, deleted) in try await connection.execute(
                SelectStoredMessages(ids: ids, channelId: page.channelId.pgID), logger: logger)
            {
                states[id] = State(
                    stored: MessageChange.Stored(editedTimestamp: edited, content: content, json: json),
                    deleted: deleted)
            }
        }
        let existing = Set(states.keys)
        var writes: [Int64: Write] = [:]
        var writeOrder: [Int64] = []
        var revisionsAdded: [Int64: Int] = [:]
        var revisions = InsertRevisions(nowText: nowText, channelId: page.channelId.pgID)
        var restored: Set<Int64> = []
        var changed: [Decoded<Message>] = []
        var attachmentsByID: [Int64: (Attachment, Message)] = [:]
        var attachmentOrder: [Int64] = []

        func write(_ message: Decoded<Message>, json: String) {
            let id = message.value.id.pgID
            if writes[id] == nil { writeOrder.append(id) }
            writes[id] = Write(message: message, json: json, guildId: page.guildId ?? message.value.guildId)
            for attachment in message.value.attachments {
                let key = attachment.id.pgID
                if attachmentsByID[key] == nil { attachmentOrder.append(key) }
                attachmentsByID[key] = (attachment, message.value)
            }
            changed.append(message)
        }
        func addRevision(of id: Int64, editedTimestamp: String?, content: String, json: String) {
            revisions.messageId.append(id)
            revisions.editedTimestamp.append(editedTimestamp)
            revisions.content.append(pgText(content))
            revisions.json.append(json)
            revisionsAdded[id, default: 0] += 1
        }

        for (message, json) in zip(page.messages, texts) {
            let value = message.value
            let id = value.id.pgID
            let state = states[id]
            let incoming = MessageChange.Stored(
                editedTimestamp: value.editedTimestamp?.rawValue, content: value.content, json: json)
            switch MessageChange.classify(stored: state?.stored, incoming: value, incomingJSON: json) {
            case .new:
                write(message, json: json)
                states[id] = State(stored: incoming, deleted: false)
                result.inserted += 1
            case .unchanged:
                result.unchanged += 1
            case .refreshed:
                write(message, json: json)
                states[id]?.stored = incoming
                result.refreshed += 1
            case .edited:
                guard let stored = state?.stored else { break }
                addRevision(of: id, editedTimestamp: stored.editedTimestamp, content: stored.content, json: stored.json)
                write(message, json: json)
                states[id]?.stored = incoming
                result.edited += 1
            case .olderVersion:
                if try await !hasRevision(
                    of: id, in: page.channelId.pgID, editedTimestamp: incoming.editedTimestamp,
                    content: incoming.content, added: revisions)
                {
                    addRevision(
                        of: id, editedTimestamp: incoming.editedTimestamp, content: incoming.content, json: json)
                }
                result.unchanged += 1
            }
            if state?.deleted == true {
                states[id]?.deleted = false
                restored.insert(id)
                result.restored += 1
            }
        }

        // Rows: new messages, then replaced ones, then revision counts of messages only given older versions.
        var inserts = MessageColumns()
        var updates = MessageColumns()
        for id in writeOrder {
            guard let write = writes[id] else { continue }
            if existing.contains(id) {
                Self.append(write, revisions: revisionsAdded[id] ?? 0, to: &updates)
            } else {
                Self.append(write, revisions: revisionsAdded[id] ?? 0, to: &inserts)
            }
        }
        if !inserts.isEmpty {
            _ = try await connection.execute(
                InsertMessages(columns: inserts, channelId: page.channelId.pgID, nowText: nowText), logger: logger)
        }
        if !updates.isEmpty {
            _ = try await connection.execute(
                UpdateMessages(columns: updates, nowText: nowText, channelId: page.channelId.pgID), logger: logger)
        }
        let bumped = revisionsAdded.filter { writes[$0.key] == nil }
        if !bumped.isEmpty {
            var builder = SQLBuilder()
            builder.append("UPDATE message AS m SET revision_count = m.revision_count + t.n FROM unnest(")
            builder.bind(Array(bumped.keys), cast: "::bigint[]")
            builder.append(", ")
            builder.bind(bumped.keys.map { Int64(bumped[$0] ?? 0) }, cast: "::bigint[]")
            builder.append(") AS t(id, n) WHERE m.channel_id = ")
            builder.bind(page.channelId.pgID)
            builder.append(" AND m.id = t.id")
            try await connection.query(builder.query, logger: logger)
        }
        if !revisions.messageId.isEmpty { _ = try await connection.execute(revisions, logger: logger) }
        if !restored.isEmpty {
            try await connection.query(
                """
                UPDATE message SET deleted_at = NULL
                WHERE channel_id = \(page.channelId.pgID) AND id = ANY(\(Array(restored)))
                """, logger: logger)
        }

        // Attachments: what Discord says about each file, the last version of the page winning.
        if !attachmentOrder.isEmpty {
            var statement = UpsertAttachments()
            for key in attachmentOrder {
                guard let (attachment, message) = attachmentsByID[key] else { continue }
                statement.id.append(key)
                statement.messageId.append(message.id.pgID)
                statement.channelId.append(message.channelId.pgID)
                statement.filename.append(pgText(attachment.filename))
                statement.size.append(Int64(attachment.size))
                statement.contentType.append(attachment.contentType.map(pgText))
                statement.url.append(pgText(attachment.url))
                statement.proxyURL.append(pgText(attachment.proxyURL))
            }
            _ = try await connection.execute(statement, logger: logger)
        }

        // Reactions: a replaced message's reactions are those of its last version.
        let replaced = writeOrder.filter { existing.contains($0) }
        if !replaced.isEmpty {
            _ = try await connection.execute(
                DeleteReactions(messageIds: replaced, channelId: page.channelId.pgID), logger: logger)
        }
        var reactions = UpsertReactions(channelId: page.channelId.pgID)
        for id in writeOrder {
            guard let write = writes[id], let list = write.message.value.reactions else { continue }
            var seen: [String: Int] = [:]
            for reaction in list {
                let key = pgText(StoredReaction.emojiKey(reaction.emoji))
                if let index = seen[key] {
                    reactions.count[index] = Int64(reaction.count)
                    reactions.normalCount[index] = reaction.countDetails.map { Int64($0.normal) }
                    reactions.burstCount[index] = reaction.countDetails.map { Int64($0.burst) }
                    continue
                }
                seen[key] = reactions.messageId.count
                reactions.messageId.append(id)
                reactions.emojiKey.append(key)
                reactions.emojiId.append(reaction.emoji.id.pgID())
                reactions.emojiName.append(reaction.emoji.name.map(pgText))
                reactions.count.append(Int64(reaction.count))
                reactions.normalCount.append(reaction.countDetails.map { Int64($0.normal) })
                reactions.burstCount.append(reaction.countDetails.map { Int64($0.burst) })
            }
        }
        if !reactions.messageId.isEmpty { _ = try await connection.execute(reactions, logger: logger) }

        try await PostgresUserWriter(connection: connection, logger: logger)
            .upsert(SeenUsers(messages: changed).sightings, nowText: nowText)
        if let checkpoint = page.checkpoint {
            try await PostgresCheckpointWriter.save(
                checkpoint, connection: connection, logger: logger, nowText: nowText)
        }
        if let segment = page.segment {
            try await PostgresCheckpointWriter.save([segment], connection: connection, logger: logger, nowText: nowText)
        }
        return result
    }

    private static func append(_ write: Write, revisions: Int, to columns: inout MessageColumns) {
        let value = write.message.value
        columns.id.append(value.id.pgID)
        columns.guildId.append(write.guildId.pgID())
        columns.authorId.append(value.author?.id.pgID)
        columns.timestamp.append(value.timestamp.rawValue)
        columns.editedTimestamp.append(value.editedTimestamp?.rawValue)
        columns.type.append(Int64(value.type.rawValue))
        columns.flags.append(Int64(value.flags ?? 0))
        columns.content.append(pgText(value.content))
        columns.pinned.append(value.pinned ?? false)
        columns.referenceMessageId.append(value.messageReference?.messageId.pgID())
        columns.referenceChannelId.append(value.messageReference?.channelId.pgID())
        columns.referenceGuildId.append(value.messageReference?.guildId.pgID())
        columns.json.append(write.json)
        columns.revisions.append(Int64(revisions))
    }

    /// Whether a revision with this edit state and content exists, among those stored or added by this page.
    private func hasRevision(
        of id: Int64, in channel: Int64, editedTimestamp: String?, content: String, added: InsertRevisions
    ) async throws -> Bool {
        let text = pgText(content)
        for index in added.messageId.indices where added.messageId[index] == id {
            if added.editedTimestamp[index] == editedTimestamp && added.content[index] == text { return true }
        }
        let rows = try await connection.query(
            """
            SELECT 1 FROM message_revision
            WHERE channel_id = \(channel) AND message_id = \(id) AND edited_timestamp IS NOT DISTINCT FROM \(editedTimestamp)
                AND content = \(text) LIMIT 1
            """, logger: logger
        ).collect()
        return !rows.isEmpty
    }
}
