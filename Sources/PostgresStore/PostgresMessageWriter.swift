import ArchiveStore
import DiscordModels
import Foundation
import Logging
import PostgresNIO

/// Executes a ``MessagePagePlan`` inside one transaction, in bulk: the stored versions of the page's messages are
/// read (and locked) in one query, ``MessagePagePlanner`` decides exactly as for the SQLite backend, and the plan is
/// written with one multi-row statement per table.
struct PostgresMessageWriter {
    let connection: PostgresConnection
    let logger: Logger
    let nowText: String

    func store(_ page: MessagePage) async throws -> MessagePageResult { try await store([page])[0] }

    /// Stores `pages` in turn; the users they show are upserted once, at the end (see ``SeenUsers/merging(_:)``).
    func store(_ pages: [MessagePage]) async throws -> [MessagePageResult] {
        var users: [[SeenUsers.Candidate]] = []
        var results: [MessagePageResult] = []
        for page in pages {
            let (result, seen) = try await storeMessages(page)
            results.append(result)
            users.append(seen)
        }
        try await PostgresUserWriter(connection: connection, logger: logger).upsert(
            SeenUsers.merging(users), nowText: nowText)
        return results
    }

    private func storeMessages(_ page: MessagePage) async throws -> (MessagePageResult, [SeenUsers.Candidate]) {
        // Everything that can make the page invalid is checked before anything is written (the transaction would
        // undo it anyway, but a failed statement costs a round trip).
        let texts = try MessagePagePlanner.validate(page) { try jsonText($0.json, what: "message \($0.id)") }
        let channel = page.channelId.columnID
        var stored: [Snowflake<Message>: MessagePagePlanner.Stored] = [:]
        if !page.messages.isEmpty {
            let ids = Array(Set(page.messages.map(\.id.columnID))).sorted()
            for try await (id, edited, content, json, deleted) in try await connection.execute(
                SelectStoredMessages(ids: ids, channelId: channel), logger: logger)
            {
                stored[Snowflake(columnID: id)] = MessagePagePlanner.Stored(
                    version: MessageChange.Stored(editedTimestamp: edited, content: content, json: json),
                    deleted: deleted)
            }
        }
        let plan = MessagePagePlanner.plan(page, texts: texts, stored: stored)

        var revisions = InsertRevisions(nowText: nowText, channelId: channel)
        var kept: [MessagePagePlan.Revision] = []
        for revision in plan.revisions {
            if revision.ifAbsent, try await hasRevision(revision, in: channel) { continue }
            kept.append(revision)
            revisions.messageId.append(revision.messageId.columnID)
            revisions.editedTimestamp.append(revision.editedTimestamp)
            revisions.content.append(pgText(revision.content))
            revisions.json.append(revision.json)
        }
        let counts = Dictionary(
            uniqueKeysWithValues: plan.revisionCounts(keeping: kept).map { ($0.messageId, $0.added) })

        // Rows: new messages, then replaced ones, then revision counts of messages only given older versions.
        var inserts = MessageColumns()
        var updates = MessageColumns()
        for write in plan.writes {
            let added = counts[write.message.id] ?? 0
            if write.replacesStored {
                Self.append(write, revisions: added, to: &updates)
            } else {
                Self.append(write, revisions: added, to: &inserts)
            }
        }
        if !inserts.isEmpty {
            _ = try await connection.execute(
                InsertMessages(columns: inserts, channelId: channel, nowText: nowText), logger: logger)
        }
        if !updates.isEmpty {
            _ = try await connection.execute(
                UpdateMessages(columns: updates, nowText: nowText, channelId: channel), logger: logger)
        }
        let written = Set(plan.writes.map(\.message.id))
        let bumped = counts.filter { !written.contains($0.key) }
        if !bumped.isEmpty {
            var builder = SQLBuilder()
            builder.append("UPDATE message AS m SET revision_count = m.revision_count + t.n FROM unnest(")
            builder.bind(bumped.keys.map(\.columnID), cast: "::bigint[]")
            builder.append(", ")
            builder.bind(bumped.values.map(Int64.init), cast: "::bigint[]")
            builder.append(") AS t(id, n) WHERE m.channel_id = ")
            builder.bind(channel)
            builder.append(" AND m.id = t.id")
            try await connection.query(builder.query, logger: logger)
        }
        if !revisions.messageId.isEmpty { _ = try await connection.execute(revisions, logger: logger) }
        if !plan.restored.isEmpty {
            try await connection.query(
                """
                UPDATE message SET deleted_at = NULL
                WHERE channel_id = \(channel) AND id = ANY(\(plan.restored.map(\.columnID)))
                """, logger: logger)
        }

        // Attachments: what Discord says about each file.
        if !plan.attachments.isEmpty {
            var statement = UpsertAttachments()
            for (attachment, messageId, channelId) in plan.attachments {
                statement.id.append(attachment.id.columnID)
                statement.messageId.append(messageId.columnID)
                statement.channelId.append(channelId.columnID)
                statement.filename.append(pgText(attachment.filename))
                statement.size.append(Int64(attachment.size))
                statement.contentType.append(attachment.contentType.map(pgText))
                statement.url.append(pgText(attachment.url))
                statement.proxyURL.append(pgText(attachment.proxyURL))
            }
            _ = try await connection.execute(statement, logger: logger)
        }

        // Reactions: a replaced message's reactions are those of its last version.
        if !plan.reactionsReplaced.isEmpty {
            _ = try await connection.execute(
                DeleteReactions(messageIds: plan.reactionsReplaced.map(\.columnID), channelId: channel), logger: logger)
        }
        if !plan.reactions.isEmpty {
            var reactions = UpsertReactions(channelId: channel)
            for reaction in plan.reactions {
                reactions.messageId.append(reaction.messageId.columnID)
                reactions.emojiKey.append(pgText(reaction.emojiKey))
                reactions.emojiId.append(reaction.emojiId.columnID())
                reactions.emojiName.append(reaction.emojiName.map(pgText))
                reactions.count.append(Int64(reaction.count))
                reactions.normalCount.append(reaction.normalCount.map(Int64.init))
                reactions.burstCount.append(reaction.burstCount.map(Int64.init))
            }
            _ = try await connection.execute(reactions, logger: logger)
        }

        if let checkpoint = page.checkpoint {
            try await PostgresCheckpointWriter.save(
                checkpoint, connection: connection, logger: logger, nowText: nowText)
        }
        if let segment = page.segment {
            try await PostgresCheckpointWriter.save([segment], connection: connection, logger: logger, nowText: nowText)
        }
        return (plan.result, plan.users)
    }

    private static func append(_ write: MessagePagePlan.Write, revisions: Int, to columns: inout MessageColumns) {
        let value = write.message
        columns.id.append(value.id.columnID)
        columns.guildId.append(write.guildId.columnID())
        columns.authorId.append(value.authorId?.columnID)
        columns.timestamp.append(value.timestamp)
        columns.editedTimestamp.append(value.editedTimestamp)
        columns.type.append(Int64(value.type))
        columns.flags.append(Int64(value.flags))
        columns.content.append(pgText(value.content))
        columns.pinned.append(value.pinned)
        columns.referenceMessageId.append(value.referenceMessageId.columnID())
        columns.referenceChannelId.append(value.referenceChannelId.columnID())
        columns.referenceGuildId.append(value.referenceGuildId.columnID())
        columns.json.append(write.json)
        columns.revisions.append(Int64(revisions))
    }

    /// Whether the archive has a revision of the message with this edit state and content.
    private func hasRevision(_ revision: MessagePagePlan.Revision, in channel: Int64) async throws -> Bool {
        let rows = try await connection.query(
            """
            SELECT 1 FROM message_revision
            WHERE channel_id = \(channel) AND message_id = \(revision.messageId.columnID)
                AND edited_timestamp IS NOT DISTINCT FROM \(revision.editedTimestamp)
                AND content = \(pgText(revision.content)) LIMIT 1
            """, logger: logger
        ).collect()
        return !rows.isEmpty
    }
}
