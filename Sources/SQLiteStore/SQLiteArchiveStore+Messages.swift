import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore {
    /// See ``MessageStore/storeMessagePage(_:)``.
    @discardableResult
    public func storeMessagePage(_ page: MessagePage) async throws -> MessagePageResult {
        let now = self.now()
        return try await writeMessages("store a page of channel \(page.channelId)") { db in
            var writer = MessageWriter(db: db, now: now)
            return try writer.store(page)
        }
    }

    /// See ``MessageStore/storeMessagePages(_:)``.
    @discardableResult
    public func storeMessagePages(_ pages: [MessagePage]) async throws -> [MessagePageResult] {
        guard !pages.isEmpty else { return [] }
        let now = self.now()
        let what =
            pages.count == 1 ? "store a page of channel \(pages[0].channelId)" : "store a group of \(pages.count) pages"
        return try await writeMessages(what) { db in
            var writer = MessageWriter(db: db, now: now)
            return try writer.store(pages)
        }
    }

    /// Mark messages deleted.
    public func markMessagesDeleted(
        _ ids: [Snowflake<Message>], in channel: Snowflake<Channel>, at date: Date, checkpoint: ChannelCheckpoint?
    ) async throws -> Int {
        let now = self.now()
        return try await write("mark messages of channel \(channel) deleted") { db in
            let statement = try db.cachedStatement(
                sql: "UPDATE message SET deleted_at = ? WHERE id = ? AND channel_id = ? AND deleted_at IS NULL")
            var count = 0
            for id in ids {
                try statement.execute(arguments: [ColumnDate.text(date), id.columnID, channel.columnID])
                count += db.changesCount
            }
            if let checkpoint {
                guard checkpoint.channelId == channel else {
                    throw ArchiveStoreError.invalidPage(
                        "checkpoint of channel \(checkpoint.channelId) given with deletions in channel \(channel)")
                }
                try CheckpointWriter.save(checkpoint, db: db, now: now)
            }
            return count
        }
    }

    /// Store reaction users.
    public func storeReactionUsers(
        _ users: [Decoded<User>], message: Snowflake<Message>, in channel: Snowflake<Channel>, emojiKey: String,
        burst: Bool, observedAt: Date
    ) async throws {
        try await write("store reaction users of message \(message) of channel \(channel)") { db in
            try UserWriter.upsert(users, db: db, at: observedAt)
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO reaction_user (channel_id, message_id, emoji_key, burst, user_id)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING
                    """)
            for user in users {
                try statement.execute(arguments: [
                    channel.columnID, message.columnID, emojiKey, burst, user.value.id.columnID,
                ])
            }
        }
    }
}

/// Executes a ``MessagePagePlan`` inside one transaction with cached statements: the rules are
/// ``MessagePagePlanner``'s, the SQL is this backend's.
struct MessageWriter {
    let db: Database
    let now: Date
    let nowText: String
    /// The author objects of the transaction's messages, stored once (see ``MessageAuthors``).
    var authors: MessageAuthors
    /// The statements every page executes, looked up on the first page of the transaction and held for the others
    /// (GRDB finds a cached statement by hashing its SQL text, a few hundred bytes each, at every look-up).
    private var held = [BoundStatement?](repeating: nil, count: HeldStatement.allCases.count)

    /// The statements ``MessageWriter`` executes for every page, by their place in ``held``.
    private enum HeldStatement: Int, CaseIterable {
        /// The new message row.
        case insert
        /// The stored messages of the page's id range.
        case range
        /// The channel's checkpoint, committed with the page.
        case checkpoint
        /// The archived segment the page extends.
        case segment
        /// ``MessageWriter/attachmentSQL``.
        case attachment
        /// ``MessageWriter/reactionSQL``.
        case reaction
    }

    init(db: Database, now: Date) {
        self.db = db
        self.now = now
        self.nowText = ColumnDate.text(now)
        self.authors = MessageAuthors(db: db)
    }

    /// The statement held in `slot`, looked up the first time.
    private mutating func held(
        _ slot: HeldStatement, sql: @autoclosure () -> String
    ) throws -> BoundStatement {
        if let statement = held[slot.rawValue] { return statement }
        let statement = try BoundStatement(db, sql: sql())
        held[slot.rawValue] = statement
        return statement
    }

    mutating func store(_ page: MessagePage) throws -> MessagePageResult { try store([page])[0] }

    /// Stores `pages` in turn; the users they show are upserted once, at the end (see ``SeenUsers/merging(_:)``),
    /// and the rows they insert are added to the full-text index in one statement (see ``MessageSearchFeed``).
    mutating func store(_ pages: [MessagePage]) throws -> [MessagePageResult] {
        var users: [[SeenUsers.Candidate]] = []
        var search = MessageSearchFeed()
        let results = try pages.map { page in
            let (result, seen) = try storeMessages(page, search: &search)
            users.append(seen)
            return result
        }
        try search.flush(db)
        try UserWriter.upsert(SeenUsers.merging(users), db: db, nowText: nowText)
        return results
    }

    private mutating func storeMessages(_ page: MessagePage, search: inout MessageSearchFeed) throws -> (
        MessagePageResult, [SeenUsers.Candidate]
    ) {
        try MessagePagePlanner.validate(page)
        let stored = try storedVersions(of: page)
        let plan = MessagePagePlanner.plan(page, stored: stored)
        let channel = page.channelId.columnID

        let revisions = try plan.revisions.filter {
            try !$0.ifAbsent
                || !hasRevision(of: $0.messageId, in: channel, editedTimestamp: $0.editedTimestamp, content: $0.content)
        }
        let counts = Dictionary(
            uniqueKeysWithValues: plan.revisionCounts(keeping: revisions).map { ($0.messageId, $0.added) })
        // An update of a row's content re-indexes it through a trigger, which needs the row indexed already.
        if plan.writes.contains(where: \.replacesStored) { try search.flush(db) }
        let insertion = try held(.insert, sql: Self.insertSQL)
        // What every row of the page shares is bound once: SQLite keeps a parameter's value (its own copy) until it
        // is bound again, and ``insert(_:of:addingRevisions:through:)`` binds all the others for each row.
        insertion.bind(channel, at: 11)
        insertion.bind(text: nowText, at: 14)
        insertion.bind(text: nowText, at: 15)
        // The messages are read through a buffer pointer: an array's element read field by field is copied whole
        // (every reference in it retained and released) at each read, a buffer's element is read in place.
        try plan.messages.withUnsafeBufferPointer { messages in
            for write in plan.writes {
                let added = counts.isEmpty ? 0 : counts[write.id] ?? 0
                if write.replacesStored {
                    try update(write, of: plan, addingRevisions: added)
                } else {
                    try insert(write, of: messages, addingRevisions: added, through: insertion)
                    search.inserted(insertion.lastInsertedRowID)
                }
            }
        }
        if !counts.isEmpty {
            let bump = try db.cachedStatement(
                sql: "UPDATE message SET revision_count = revision_count + ? WHERE channel_id = ? AND id = ?")
            let written = Set(plan.writes.map(\.id))
            for (id, added) in counts where !written.contains(id) {
                try bump.execute(arguments: [added, channel, id.columnID])
            }
        }
        // Statements a page does not need are not even looked up (GRDB hashes their SQL text to find them).
        if !revisions.isEmpty {
            let revision = try db.cachedStatement(
                sql: """
                    INSERT INTO message_revision (channel_id, message_id, edited_timestamp, content, json, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            for row in revisions {
                try revision.execute(arguments: [
                    channel, row.messageId.columnID, row.editedTimestamp, row.content, row.json, nowText,
                ])
            }
        }
        if !plan.restored.isEmpty {
            let restore = try db.cachedStatement(
                sql: "UPDATE message SET deleted_at = NULL WHERE channel_id = ? AND id = ?")
            for id in plan.restored { try restore.execute(arguments: [channel, id.columnID]) }
        }
        try storeAttachments(plan.attachments)
        try storeReactions(plan)
        if let checkpoint = page.checkpoint {
            try CheckpointWriter.save(
                checkpoint, through: held(.checkpoint, sql: CheckpointWriter.checkpointSQL), nowText: nowText)
        }
        if let segment = page.segment {
            try CheckpointWriter.save(
                segment, through: held(.segment, sql: CheckpointWriter.segmentSQL), nowText: nowText)
        }
        return (plan.result, plan.users)
    }

    /// What the archive holds of the page's messages. A page from Discord is a run of consecutive messages of its
    /// channel, so the rows between its smallest and largest id are read with one range scan (one seek, and none
    /// found for a page never seen); a page spread over more rows than that (a live batch naming old messages)
    /// falls back to one look-up per message. The range is read straight from SQLite (no GRDB `Row` per row, no
    /// arguments array per page): a page never seen costs one step that finds nothing.
    private mutating func storedVersions(
        of page: MessagePage
    ) throws -> [Snowflake<Message>: MessagePagePlanner.Stored] {
        var stored: [Snowflake<Message>: MessagePagePlanner.Stored] = [:]
        guard var low = page.messages.first?.id else { return stored }
        var high = low
        for index in page.messages.indices {
            let id = page.messages[index].id
            if id < low { low = id }
            if id > high { high = id }
        }
        /// The stored version in the current row of `statement`, its columns from `column` on.
        func version(_ statement: BoundStatement, from column: Int32) -> MessagePagePlanner.Stored {
            MessagePagePlanner.Stored(
                version: MessageChange.Stored(
                    editedTimestamp: statement.text(column), content: statement.text(column + 1) ?? "",
                    json: statement.text(column + 2) ?? ""),
                deleted: !statement.isNull(column + 3))
        }
        // Ids keep their bit pattern (``Snowflake/columnID``): a page running from below 2^63 to above it is two
        // signed ranges, and `BETWEEN` over the pair would find nothing. It is read message by message.
        if low.columnID <= high.columnID {
            let limit = 2 * page.messages.count + 16
            let range = try held(
                .range,
                sql: """
                    SELECT id, edited_timestamp, content, \(MessageAuthors.json(of: "message")), deleted_at FROM message
                    WHERE channel_id = ? AND id BETWEEN ? AND ? ORDER BY id LIMIT ?
                    """)
            range.bind(page.channelId.columnID, at: 1)
            range.bind(low.columnID, at: 2)
            range.bind(high.columnID, at: 3)
            range.bind(limit, at: 4)
            var rows = 0
            var wanted: Set<Snowflake<Message>> = []
            do {
                defer { range.reset() }
                while try range.step() {
                    rows += 1
                    guard rows < limit else { break }
                    if rows == 1 { wanted = Set(page.messages.map(\.id)) }
                    let id = Snowflake<Message>(columnID: range.int64(0))
                    if wanted.contains(id) { stored[id] = version(range, from: 1) }
                }
            }
            if rows < limit { return stored }
        }
        stored = [:]
        let select = try BoundStatement(
            db,
            sql: """
                SELECT edited_timestamp, content, \(MessageAuthors.json(of: "message")), deleted_at FROM message
                WHERE channel_id = ? AND id = ?
                """)
        for message in page.messages where stored[message.id] == nil {
            select.bind(page.channelId.columnID, at: 1)
            select.bind(message.id.columnID, at: 2)
            defer { select.reset() }
            guard try select.step() else { continue }
            stored[message.id] = version(select, from: 0)
        }
        return stored
    }

    /// The hot statement: one execution per archived message, bound value by value (see ``BoundStatement``).
    private static let insertSQL = """
        INSERT INTO message (guild_id, author_id, edited_timestamp, type, flags, pinned,
            reference_message_id, reference_channel_id, reference_guild_id,
            id, channel_id, timestamp, json, archived_at, updated_at, revision_count, author_ref, author_at,
            content)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Inserts the row of `write`, its fields read in place from `messages` (no copy of the message). The timestamps,
    /// the content and the JSON are bound where they are, in the page's bytes, for the one execution (no `String`
    /// made, no copy by SQLite; a text with escapes is unescaped into a temporary buffer). The channel (11) and the
    /// two dates (14, 15) are the page's, bound once per page by the caller.
    private mutating func insert(
        _ write: MessagePagePlan.Write, of messages: UnsafeBufferPointer<IndexedMessage>, addingRevisions: Int,
        through statement: BoundStatement
    ) throws {
        let index = write.index
        statement.bind(write.guildId?.columnID, at: 1)
        statement.bind(messages[index].authorId?.columnID, at: 2)
        statement.bind(messages[index].type, at: 4)
        statement.bind(messages[index].flags, at: 5)
        statement.bind(messages[index].pinned, at: 6)
        statement.bind(messages[index].referenceMessageId?.columnID, at: 7)
        statement.bind(messages[index].referenceChannelId?.columnID, at: 8)
        statement.bind(messages[index].referenceGuildId?.columnID, at: 9)
        statement.bind(write.id.columnID, at: 10)
        statement.bind(addingRevisions, at: 16)
        // The page's bytes as they are (checked UTF-8 by the planner's validation): no `String` of them.
        try messages[index].json.withUnsafeBytes { json in
            // `content` is stored beside the JSON (see ``StoredMessageContent``): the scanner's text, unescaped.
            try statement.withText(messages[index].editedTimestampText, in: json, at: 3) {
                try statement.withText(messages[index].timestampText, in: json, at: 12) {
                    try statement.withText(messages[index].contentText, in: json, orEmpty: true, at: 19) {
                        guard let authorRange = messages[index].authorRange else {
                            statement.bind(nil, at: 17)
                            statement.bind(nil, at: 18)
                            return try statement.withText(utf8: json, at: 13) { try statement.execute() }
                        }
                        try authors.withStripped(
                            messages[index].json, authorAt: authorRange, user: messages[index].authorId?.rawValue
                        ) { stripped, reference, offset in
                            statement.bind(reference, at: 17)
                            statement.bind(offset, at: 18)
                            try statement.withText(utf8: stripped, at: 13) { try statement.execute() }
                        }
                    }
                }
            }
        }
    }

    private func update(_ write: MessagePagePlan.Write, of plan: MessagePagePlan, addingRevisions: Int) throws {
        let value = plan.message(write)
        let statement = try db.cachedStatement(
            sql: """
                UPDATE message SET guild_id = COALESCE(?, guild_id), author_id = ?, edited_timestamp = ?, type = ?,
                    flags = ?, content = ?, pinned = ?, reference_message_id = ?, reference_channel_id = ?,
                    reference_guild_id = ?, timestamp = ?, json = ?, updated_at = ?,
                    revision_count = revision_count + ?, author_ref = NULL, author_at = NULL
                WHERE channel_id = ? AND id = ?
                """)
        let columns: [(any DatabaseValueConvertible)?] = [
            write.guildId.columnID(), value.authorId?.columnID, value.editedTimestamp, value.type, value.flags,
            value.content, value.pinned, value.referenceMessageId.columnID(), value.referenceChannelId.columnID(),
            value.referenceGuildId.columnID(), value.timestamp, plan.json(write), nowText, addingRevisions,
            value.channelId.columnID, value.id.columnID,
        ]
        try statement.execute(arguments: StatementArguments(columns))
    }

    private func hasRevision(
        of message: Snowflake<Message>, in channel: Int64, editedTimestamp: String?, content: String
    ) throws -> Bool {
        let statement = try db.cachedStatement(
            sql: """
                SELECT 1 FROM message_revision
                WHERE channel_id = ? AND message_id = ? AND edited_timestamp IS ? AND content = ? LIMIT 1
                """)
        return try Bool.fetchOne(statement, arguments: [channel, message.columnID, editedTimestamp, content]) != nil
    }

    /// The attachments' upsert. For a new row (every row of a backfill) SQLite runs the same program as a plain
    /// `INSERT`: one look-up of the id, then the row and its two indexes; the `DO UPDATE` branch runs only for an id
    /// already stored (a page fetched again). The media download state is never touched here; only what Discord
    /// says about the file.
    private static let attachmentSQL = """
        INSERT INTO attachment (id, message_id, channel_id, filename, size, content_type, url, proxy_url)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET filename = excluded.filename, size = excluded.size,
            content_type = excluded.content_type, url = excluded.url, proxy_url = excluded.proxy_url
        WHERE url IS NOT excluded.url OR proxy_url IS NOT excluded.proxy_url
            OR filename IS NOT excluded.filename OR size IS NOT excluded.size
            OR content_type IS NOT excluded.content_type
        """

    /// The reactions' upsert: like ``attachmentSQL``, a plain insert for a new row.
    private static let reactionSQL = """
        INSERT INTO reaction (channel_id, message_id, emoji_key, emoji_id, emoji_name, count, normal_count,
            burst_count)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (channel_id, message_id, emoji_key) DO UPDATE SET count = excluded.count,
            normal_count = excluded.normal_count, burst_count = excluded.burst_count
        """

    private mutating func storeAttachments(
        _ attachments: [(attachment: Attachment, messageId: Snowflake<Message>, channelId: Snowflake<Channel>)]
    ) throws {
        guard !attachments.isEmpty else { return }
        let statement = try held(.attachment, sql: Self.attachmentSQL)
        for (attachment, messageId, channelId) in attachments {
            statement.bind(attachment.id.columnID, at: 1)
            statement.bind(messageId.columnID, at: 2)
            statement.bind(channelId.columnID, at: 3)
            statement.bind(text: attachment.filename, at: 4)
            statement.bind(attachment.size, at: 5)
            statement.bind(text: attachment.contentType, at: 6)
            statement.bind(text: attachment.url, at: 7)
            statement.bind(text: attachment.proxyURL, at: 8)
            try statement.execute()
        }
    }

    private mutating func storeReactions(_ plan: MessagePagePlan) throws {
        let channel = plan.channelId.columnID
        if !plan.reactionsReplaced.isEmpty {
            let delete = try db.cachedStatement(sql: "DELETE FROM reaction WHERE channel_id = ? AND message_id = ?")
            for id in plan.reactionsReplaced { try delete.execute(arguments: [channel, id.columnID]) }
        }
        guard !plan.reactions.isEmpty else { return }
        let statement = try held(.reaction, sql: Self.reactionSQL)
        for reaction in plan.reactions {
            statement.bind(channel, at: 1)
            statement.bind(reaction.messageId.columnID, at: 2)
            statement.bind(text: reaction.emojiKey, at: 3)
            statement.bind(reaction.emojiId?.columnID, at: 4)
            statement.bind(text: reaction.emojiName, at: 5)
            statement.bind(reaction.count, at: 6)
            statement.bind(reaction.normalCount.map(Int64.init), at: 7)
            statement.bind(reaction.burstCount.map(Int64.init), at: 8)
            try statement.execute()
        }
    }
}
