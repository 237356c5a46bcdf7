import ArchiveStore
import DiscordModels
import Foundation
import Logging
import PostgresNIO

/// The rows the plans of several pages write, gathered so a group of pages costs one multi-row statement per table
/// instead of one per page. The pages of one batch name disjoint messages (``PostgresMessageWriter`` executes the
/// batch before a page naming a message of it), so their rows never meet in one statement except by attachment id,
/// channel checkpoint and segment, which are merged here as consecutive upserts would end.
struct PostgresPageBatch {
    private var inserts = MessageColumns()
    /// Per inserted row: the index of its author object in ``authors``, or `nil` for a row keeping its JSON whole.
    private var insertAuthors: [Int?] = []
    /// Per inserted row: the character offset of the `null` standing for its author object.
    private var insertAuthorAt = ArrayColumn(.int8)
    /// The distinct author objects of the inserted rows (see ``PostgresMessageAuthors``), as bound.
    private var authors = ArrayColumn(.text)
    /// Each distinct author object's bytes (a slice of its page: no copy), by index in ``authors``.
    private var authorObjects: [Data] = []
    /// The indexes of the distinct author objects of each author id (an id's object seldom changes within a group,
    /// so a look-up compares the bytes of one or two objects rather than hashing every message's author).
    private var authorIndexes: [Int64: [Int]] = [:]
    private var updates = MessageColumns()
    private var revisionCounts = AddRevisionCounts()
    private var revisions: InsertRevisions
    private var restored = RestoreMessages()
    /// The attachments of the group, each id once with its last description (written as rows at ``execute``).
    private var attachments: [(attachment: Attachment, messageId: Int64, channelId: Int64)] = []
    private var attachmentRows: [Int64: Int] = [:]
    private var reactionsReplaced = DeleteReactions()
    private var reactions = UpsertReactions()
    private var checkpoints: [ChannelCheckpoint] = []
    private var checkpointRows: [Int64: Int] = [:]
    private var segments: [ChannelSegment] = []
    private var segmentRows: [SegmentKey: Int] = [:]
    private let nowText: String

    private struct SegmentKey: Hashable {
        var channel: Int64
        var low: Int64
    }

    init(nowText: String) {
        self.nowText = nowText
        revisions = InsertRevisions(nowText: nowText)
    }

    /// Adds what `plan` writes for `page`; `kept` are the plan's revisions to add (its ``MessagePagePlan/Revision/ifAbsent``
    /// ones only when the archive lacks them).
    mutating func add(_ plan: MessagePagePlan, keeping kept: [MessagePagePlan.Revision], of page: MessagePage) {
        let channel = page.channelId.columnID
        let counts = plan.revisionCounts(keeping: kept)
        let added = Dictionary(uniqueKeysWithValues: counts.lazy.map { ($0.messageId, $0.added) })

        // Rows: new messages, replaced ones, then revision counts of messages only given older versions.
        for write in plan.writes {
            let revisions = added.isEmpty ? 0 : added[write.id] ?? 0
            if write.replacesStored {
                Self.append(write, of: plan.messages, channel: channel, revisions: revisions, to: &updates)
                updates.json.append(plan.json(write))
            } else if let range = plan.messages[write.index].authorRange {
                // A new row keeps its author object once in `author_json`: its JSON is written with `null` in the
                // object's place, straight from the bytes Discord sent.
                Self.append(write, of: plan.messages, channel: channel, revisions: revisions, to: &inserts)
                let json = plan.messages[write.index].json
                let offset = json.withUnsafeBytes { bytes in
                    inserts.json.append(bytes, replacing: range, with: "null")
                    return PostgresMessageAuthors.characterOffset(in: bytes, at: range.lowerBound)
                }
                let index = authorIndex(
                    json[(json.startIndex + range.lowerBound)..<(json.startIndex + range.upperBound)],
                    of: plan.messages[write.index].authorId?.columnID ?? 0)
                insertAuthors.append(index)
                insertAuthorAt.append(Int64(offset))
            } else {
                Self.append(write, of: plan.messages, channel: channel, revisions: revisions, to: &inserts)
                inserts.json.append(plan.json(write))
                insertAuthors.append(nil)
                insertAuthorAt.appendNull()
            }
        }
        if !added.isEmpty {
            let written = Set(plan.writes.lazy.map(\.id))
            for count in counts where !written.contains(count.messageId) {
                revisionCounts.ids.append(count.messageId.columnID)
                revisionCounts.channelIds.append(channel)
                revisionCounts.added.append(Int64(count.added))
            }
        }
        for revision in kept {
            revisions.messageId.append(revision.messageId.columnID)
            revisions.channelId.append(channel)
            revisions.editedTimestamp.append(revision.editedTimestamp)
            revisions.content.append(pgText(revision.content))
            revisions.json.append(revision.json)
        }
        for id in plan.restored {
            restored.append(message: id.columnID, channel: channel)
        }

        // Attachments: what Discord says about each file. Upserted one after the other, an attachment keeps the
        // message it was first stored with and takes the last description.
        for (attachment, messageId, channelId) in plan.attachments {
            let id = attachment.id.columnID
            if let row = attachmentRows[id] {
                attachments[row].attachment = attachment
            } else {
                attachmentRows[id] = attachments.count
                attachments.append((attachment, messageId.columnID, channelId.columnID))
            }
        }

        // Reactions: a replaced message's reactions are those of its last version.
        for id in plan.reactionsReplaced {
            reactionsReplaced.append(message: id.columnID, channel: channel)
        }
        for reaction in plan.reactions {
            reactions.messageId.append(reaction.messageId.columnID)
            reactions.channelId.append(channel)
            reactions.emojiKey.append(pgText(reaction.emojiKey))
            reactions.emojiId.append(reaction.emojiId.columnID())
            reactions.emojiName.append(reaction.emojiName.map(pgText))
            reactions.count.append(Int64(reaction.count))
            reactions.normalCount.append(reaction.normalCount.map(Int64.init))
            reactions.burstCount.append(reaction.burstCount.map(Int64.init))
        }

        // Progress: the last checkpoint of a channel wins (its guild kept from an earlier one when it names none,
        // as the upsert's COALESCE does), and the last state of a segment.
        if var checkpoint = page.checkpoint {
            if let row = checkpointRows[channel] {
                checkpoint.guildId = checkpoint.guildId ?? checkpoints[row].guildId
                checkpoints[row] = checkpoint
            } else {
                checkpointRows[channel] = checkpoints.count
                checkpoints.append(checkpoint)
            }
        }
        if let segment = page.segment {
            let key = SegmentKey(channel: channel, low: segment.low.columnID)
            if let row = segmentRows[key] {
                segments[row] = segment
            } else {
                segmentRows[key] = segments.count
                segments.append(segment)
            }
        }
    }

    /// The index in ``authors`` of the author object `object` (of author `id`), added if the batch lacks it.
    private mutating func authorIndex(_ object: Data, of id: Int64) -> Int {
        for index in authorIndexes[id, default: []] where authorObjects[index] == object { return index }
        let index = authorObjects.count
        authorObjects.append(object)
        authorIndexes[id, default: []].append(index)
        object.withUnsafeBytes { authors.append(bytes: $0) }
        return index
    }

    /// Runs the batch's statements, in the order one page's would run.
    func execute(connection: PostgresConnection, logger: Logger) async throws {
        if !inserts.isEmpty {
            var ids = [Int64?](repeating: nil, count: authorObjects.count)
            if !authorObjects.isEmpty {
                for try await (position, id) in try await connection.execute(
                    UpsertAuthors(jsons: authors), logger: logger)
                {
                    ids[Int(position) - 1] = id
                }
                // Only two different author objects of one MD5 leave one without an id: nothing is written.
                guard !ids.contains(where: { $0 == nil }) else {
                    throw ArchiveStoreError.invalidPage("an author object could not be stored apart (MD5 collision)")
                }
            }
            var authorRef = ArrayColumn(.int8)
            for index in insertAuthors {
                authorRef.append(index.flatMap { ids[$0] })
            }
            let statement = InsertMessages(
                columns: inserts, nowText: nowText, authorRef: authorRef, authorAt: insertAuthorAt)
            _ = try await connection.execute(statement, logger: logger)
        }
        if !updates.isEmpty {
            _ = try await connection.execute(UpdateMessages(columns: updates, nowText: nowText), logger: logger)
        }
        if !revisionCounts.isEmpty { _ = try await connection.execute(revisionCounts, logger: logger) }
        if !revisions.isEmpty { _ = try await connection.execute(revisions, logger: logger) }
        if !restored.isEmpty { _ = try await connection.execute(restored, logger: logger) }
        if !attachments.isEmpty {
            var statement = UpsertAttachments()
            for (attachment, messageId, channelId) in attachments {
                statement.append(attachment, message: messageId, channel: channelId)
            }
            _ = try await connection.execute(statement, logger: logger)
        }
        if !reactionsReplaced.isEmpty { _ = try await connection.execute(reactionsReplaced, logger: logger) }
        if !reactions.isEmpty { _ = try await connection.execute(reactions, logger: logger) }
        if !checkpoints.isEmpty || !segments.isEmpty {
            var statement = SaveProgress(nowText: nowText)
            for checkpoint in checkpoints { statement.append(checkpoint) }
            for segment in segments { statement.append(segment) }
            _ = try await connection.execute(statement, logger: logger)
        }
    }

    /// Adds the row of `write` (a version among `messages`) to `columns`, all but its JSON.
    private static func append(
        _ write: MessagePagePlan.Write, of messages: [IndexedMessage], channel: Int64, revisions: Int,
        to columns: inout MessageColumns
    ) {
        // The message's fields read in place (a copy of it retains and releases a dozen references), its texts
        // straight from its bytes.
        let index = write.index
        columns.id.append(messages[index].id.columnID)
        columns.channelId.append(channel)
        columns.guildId.append(write.guildId.columnID())
        columns.authorId.append(messages[index].authorId?.columnID)
        messages[index].json.withUnsafeBytes { json in
            columns.timestamp.append(messages[index].timestampText, in: json)
            columns.editedTimestamp.append(messages[index].editedTimestampText, in: json)
            columns.content.append(messages[index].contentText, in: json, orEmpty: true, replacingNUL: true)
        }
        columns.type.append(Int64(messages[index].type))
        columns.flags.append(Int64(messages[index].flags))
        columns.pinned.append(messages[index].pinned)
        columns.referenceMessageId.append(messages[index].referenceMessageId.columnID())
        columns.referenceChannelId.append(messages[index].referenceChannelId.columnID())
        columns.referenceGuildId.append(messages[index].referenceGuildId.columnID())
        columns.revisions.append(Int64(revisions))
    }
}
