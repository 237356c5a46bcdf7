import ArchiveStore
import DiscordModels
import Foundation
import Logging
import PostgresNIO

/// Executes the ``MessagePagePlan``s of a group of pages inside one transaction, in bulk: the stored versions of the
/// group's messages are read (and locked) with one query, ``MessagePagePlanner`` decides page by page
/// exactly as for the SQLite backend, and the plans of the whole group are written with one multi-row statement
/// per table (``PostgresPageBatch``), not one per page.
struct PostgresMessageWriter {
    let connection: PostgresConnection
    let logger: Logger
    let nowText: String

    func store(_ page: MessagePage) async throws -> MessagePageResult { try await store([page])[0] }

    /// Stores `pages` in turn, as if each were stored alone in that order; the users they show are upserted once,
    /// at the end (see ``SeenUsers/merging(_:)``).
    func store(_ pages: [MessagePage]) async throws -> [MessagePageResult] {
        // Everything that can make a page invalid is checked before anything is written (the transaction would
        // undo it anyway, but a failed statement costs a round trip).
        for page in pages { try MessagePagePlanner.validate(page) }
        var stored = try await readStored(pages)
        var batch = PostgresPageBatch(nowText: nowText)
        // The messages the group's earlier pages named: a page naming one of them again is planned against what
        // those pages wrote (their statements run first, then its stored versions are read again).
        var named: Set<MessageKey> = []
        var results: [MessagePageResult] = []
        var users: [[SeenUsers.Candidate]] = []
        for page in pages {
            let channel = page.channelId.columnID
            let keys = page.messages.indices.map { MessageKey(channel: channel, id: page.messages[$0].id.columnID) }
            if keys.contains(where: named.contains) {
                try await batch.execute(connection: connection, logger: logger)
                batch = PostgresPageBatch(nowText: nowText)
                stored.merge(try await readStored([page])) { $1 }
            }
            named.formUnion(keys)
            var pageStored: [Snowflake<Message>: MessagePagePlanner.Stored] = [:]
            for key in keys {
                if let version = stored[key] { pageStored[Snowflake(columnID: key.id)] = version }
            }
            let plan = MessagePagePlanner.plan(page, stored: pageStored)
            var kept: [MessagePagePlan.Revision] = []
            for revision in plan.revisions {
                if revision.ifAbsent, try await hasRevision(revision, in: channel) { continue }
                kept.append(revision)
            }
            batch.add(plan, keeping: kept, of: page)
            results.append(plan.result)
            users.append(plan.users)
        }
        try await batch.execute(connection: connection, logger: logger)
        try await PostgresUserWriter(connection: connection, logger: logger).upsert(
            SeenUsers.merging(users), nowText: nowText)
        return results
    }

    /// The stored versions of the pages' messages, locked for the transaction: one query for the whole group.
    private func readStored(_ pages: [MessagePage]) async throws -> [MessageKey: MessagePagePlanner.Stored] {
        var keys: Set<MessageKey> = []
        for page in pages {
            let channel = page.channelId.columnID
            // By index: a copy of each message (a dozen references retained and released) only to read its id.
            for index in page.messages.indices {
                keys.insert(MessageKey(channel: channel, id: page.messages[index].id.columnID))
            }
        }
        guard !keys.isEmpty else { return [:] }
        // The rows are locked in ascending (channel, id) order: concurrent writers lock in the same order.
        let statement = SelectStoredMessages(keys)
        var stored: [MessageKey: MessagePagePlanner.Stored] = [:]
        for try await (channel, id, edited, content, json, deleted) in try await connection.execute(
            statement, logger: logger)
        {
            stored[MessageKey(channel: channel, id: id)] = MessagePagePlanner.Stored(
                version: MessageChange.Stored(editedTimestamp: edited, content: content, json: json),
                deleted: deleted)
        }
        return stored
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
