import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore {
    public func storeMessagePage(_ page: MessagePage) async throws -> MessagePageResult {
        let now = self.now()
        return try await write("store a page of channel \(page.channelId)") { db in
            try MessageWriter(db: db, now: now).store(page)
        }
    }

    public func markMessagesDeleted(
        _ ids: [Snowflake<Message>], in channel: Snowflake<Channel>, at date: Date, checkpoint: ChannelCheckpoint?
    ) async throws -> Int {
        let now = self.now()
        return try await write("mark messages of channel \(channel) deleted") { db in
            let statement = try db.cachedStatement(
                sql: "UPDATE message SET deleted_at = ? WHERE id = ? AND channel_id = ? AND deleted_at IS NULL")
            var count = 0
            for id in ids {
                try statement.execute(arguments: [SQLDate.text(date), id.sqlID, channel.sqlID])
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
                try statement.execute(arguments: [channel.sqlID, message.sqlID, emojiKey, burst, user.value.id.sqlID])
            }
        }
    }
}

/// Writes a page inside one transaction: the store's message rules (``MessageChange``) applied row by row with
/// cached statements.
struct MessageWriter {
    let db: Database
    let now: Date
    let nowText: String

    init(db: Database, now: Date) {
        self.db = db
        self.now = now
        self.nowText = SQLDate.text(now)
    }

    func store(_ page: MessagePage) throws -> MessagePageResult {
        var result = MessagePageResult()
        // Messages whose users may carry news: unchanged and older versions cannot.
        var changed: [Decoded<Message>] = []
        let select = try db.cachedStatement(
            sql: "SELECT edited_timestamp, content, json, deleted_at FROM message WHERE channel_id = ? AND id = ?")
        for message in page.messages {
            let value = message.value
            guard value.channelId == page.channelId else {
                throw ArchiveStoreError.invalidPage(
                    "message \(value.id) of channel \(value.channelId) in a page of channel \(page.channelId); "
                        + "nothing of the page was stored")
            }
            let json = try jsonText(message.json, what: "message \(value.id)")
            let row = try Row.fetchOne(select, arguments: [value.channelId.sqlID, value.id.sqlID])
            let stored = row.map {
                MessageChange.Stored(editedTimestamp: $0[0], content: $0[1], json: $0[2])
            }
            let wasDeleted = row.map { ($0[3] as String?) != nil } ?? false
            let guildId = page.guildId ?? value.guildId
            switch MessageChange.classify(stored: stored, incoming: value, incomingJSON: json) {
            case .new:
                try insert(value, json: json, guildId: guildId)
                try storeAttachments(of: value)
                try storeReactions(of: value, replacing: false)
                changed.append(message)
                result.inserted += 1
            case .unchanged:
                result.unchanged += 1
            case .refreshed:
                try update(value, json: json, guildId: guildId, addingRevisions: 0)
                try storeAttachments(of: value)
                try storeReactions(of: value, replacing: true)
                changed.append(message)
                result.refreshed += 1
            case .edited:
                guard let stored else { break }
                try insertRevision(
                    of: value, editedTimestamp: stored.editedTimestamp, content: stored.content, json: stored.json)
                try update(value, json: json, guildId: guildId, addingRevisions: 1)
                try storeAttachments(of: value)
                try storeReactions(of: value, replacing: true)
                changed.append(message)
                result.edited += 1
            case .olderVersion:
                if try !hasRevision(
                    of: value, editedTimestamp: value.editedTimestamp?.rawValue, content: value.content)
                {
                    try insertRevision(
                        of: value, editedTimestamp: value.editedTimestamp?.rawValue, content: value.content, json: json)
                    try db.cachedStatement(
                        sql: "UPDATE message SET revision_count = revision_count + 1 WHERE channel_id = ? AND id = ?"
                    ).execute(arguments: [value.channelId.sqlID, value.id.sqlID])
                }
                result.unchanged += 1
            }
            if wasDeleted {
                try db.cachedStatement(sql: "UPDATE message SET deleted_at = NULL WHERE channel_id = ? AND id = ?")
                    .execute(arguments: [value.channelId.sqlID, value.id.sqlID])
                result.restored += 1
            }
        }
        try UserWriter.upsert(SeenUsers(messages: changed).sightings, db: db, nowText: nowText)
        if let checkpoint = page.checkpoint {
            guard checkpoint.channelId == page.channelId else {
                throw ArchiveStoreError.invalidPage(
                    "checkpoint of channel \(checkpoint.channelId) in a page of channel \(page.channelId); "
                        + "nothing of the page was stored")
            }
            try CheckpointWriter.save(checkpoint, db: db, now: now)
        }
        if let segment = page.segment {
            guard segment.channelId == page.channelId else {
                throw ArchiveStoreError.invalidPage(
                    "segment of channel \(segment.channelId) in a page of channel \(page.channelId); "
                        + "nothing of the page was stored")
            }
            try CheckpointWriter.save([segment], db: db, now: now)
        }
        return result
    }

    private func columns(_ value: Message, guildId: Snowflake<Guild>?) -> [(any DatabaseValueConvertible)?] {
        [
            guildId.sqlID(), value.author?.id.sqlID, value.editedTimestamp?.rawValue, value.type.rawValue,
            value.flags ?? 0, value.content, value.pinned ?? false, value.messageReference?.messageId.sqlID(),
            value.messageReference?.channelId.sqlID(), value.messageReference?.guildId.sqlID(),
        ]
    }

    private func insert(_ value: Message, json: String, guildId: Snowflake<Guild>?) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO message (guild_id, author_id, edited_timestamp, type, flags, content, pinned,
                    reference_message_id, reference_channel_id, reference_guild_id,
                    id, channel_id, timestamp, json, archived_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(
            arguments: StatementArguments(
                columns(value, guildId: guildId) + [
                    value.id.sqlID, value.channelId.sqlID, value.timestamp.rawValue, json, nowText, nowText,
                ]))
    }

    private func update(_ value: Message, json: String, guildId: Snowflake<Guild>?, addingRevisions: Int) throws {
        let statement = try db.cachedStatement(
            sql: """
                UPDATE message SET guild_id = COALESCE(?, guild_id), author_id = ?, edited_timestamp = ?, type = ?,
                    flags = ?, content = ?, pinned = ?, reference_message_id = ?, reference_channel_id = ?,
                    reference_guild_id = ?, timestamp = ?, json = ?, updated_at = ?,
                    revision_count = revision_count + ?
                WHERE channel_id = ? AND id = ?
                """)
        try statement.execute(
            arguments: StatementArguments(
                columns(value, guildId: guildId) + [
                    value.timestamp.rawValue, json, nowText, addingRevisions, value.channelId.sqlID, value.id.sqlID,
                ]))
    }

    /// Saves a version of `message` (its channel and id name the row) as a revision.
    private func insertRevision(of message: Message, editedTimestamp: String?, content: String, json: String) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO message_revision (channel_id, message_id, edited_timestamp, content, json, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [message.channelId.sqlID, message.id.sqlID, editedTimestamp, content, json, nowText])
    }

    private func hasRevision(of message: Message, editedTimestamp: String?, content: String) throws -> Bool {
        let statement = try db.cachedStatement(
            sql: """
                SELECT 1 FROM message_revision
                WHERE channel_id = ? AND message_id = ? AND edited_timestamp IS ? AND content = ? LIMIT 1
                """)
        return try Bool.fetchOne(
            statement, arguments: [message.channelId.sqlID, message.id.sqlID, editedTimestamp, content]) != nil
    }

    private func storeAttachments(of value: Message) throws {
        guard !value.attachments.isEmpty else { return }
        // The media download state is never touched here; only what Discord says about the file.
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO attachment (id, message_id, channel_id, filename, size, content_type, url, proxy_url)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET filename = excluded.filename, size = excluded.size,
                    content_type = excluded.content_type, url = excluded.url, proxy_url = excluded.proxy_url
                WHERE url IS NOT excluded.url OR proxy_url IS NOT excluded.proxy_url
                    OR filename IS NOT excluded.filename OR size IS NOT excluded.size
                    OR content_type IS NOT excluded.content_type
                """)
        for attachment in value.attachments {
            try statement.execute(arguments: [
                attachment.id.sqlID, value.id.sqlID, value.channelId.sqlID, attachment.filename, attachment.size,
                attachment.contentType, attachment.url, attachment.proxyURL,
            ])
        }
    }

    private func storeReactions(of value: Message, replacing: Bool) throws {
        if replacing {
            try db.cachedStatement(sql: "DELETE FROM reaction WHERE channel_id = ? AND message_id = ?")
                .execute(arguments: [value.channelId.sqlID, value.id.sqlID])
        }
        guard let reactions = value.reactions, !reactions.isEmpty else { return }
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO reaction (channel_id, message_id, emoji_key, emoji_id, emoji_name, count, normal_count,
                    burst_count)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (channel_id, message_id, emoji_key) DO UPDATE SET count = excluded.count,
                    normal_count = excluded.normal_count, burst_count = excluded.burst_count
                """)
        for reaction in reactions {
            try statement.execute(arguments: [
                value.channelId.sqlID, value.id.sqlID, StoredReaction.emojiKey(reaction.emoji),
                reaction.emoji.id.sqlID(), reaction.emoji.name, reaction.count, reaction.countDetails?.normal,
                reaction.countDetails?.burst,
            ])
        }
    }
}
