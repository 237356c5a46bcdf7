import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore {
    /// See ``ArchiveStore/stats()``.
    public func stats() async throws -> ArchiveStats {
        try await read("count the archive") { db in
            func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
            let importedOnly = try count(
                "SELECT COUNT(*) FROM imported_message i WHERE NOT EXISTS (SELECT 1 FROM message m WHERE m.id = i.id)")
            var stats = ArchiveStats(
                guilds: try count("SELECT COUNT(*) FROM guild"),
                channels: try count("SELECT COUNT(*) FROM channel WHERE is_thread = 0"),
                threads: try count("SELECT COUNT(*) FROM channel WHERE is_thread = 1"),
                messages: try count("SELECT COUNT(*) FROM message"),
                liveMessages: try count("SELECT COUNT(*) FROM message")
                    - count("SELECT COUNT(*) FROM message WHERE deleted_at IS NOT NULL"),
                editedMessages: try count("SELECT COUNT(*) FROM message WHERE edited_timestamp IS NOT NULL"),
                deletedMessages: try count("SELECT COUNT(*) FROM message WHERE deleted_at IS NOT NULL"),
                revisions: try count("SELECT COUNT(*) FROM message_revision"),
                attachments: try count("SELECT COUNT(*) FROM attachment"),
                downloadedAttachments: try count("SELECT COUNT(*) FROM attachment WHERE sha256 IS NOT NULL"),
                reactions: try count("SELECT COUNT(*) FROM reaction"),
                users: try count("SELECT COUNT(*) FROM discord_user"),
                members: try count("SELECT COUNT(*) FROM member"),
                roles: try count("SELECT COUNT(*) FROM role"),
                emojis: try count("SELECT COUNT(*) FROM emoji"),
                stickers: try count("SELECT COUNT(*) FROM sticker"),
                scheduledEvents: try count("SELECT COUNT(*) FROM scheduled_event"))
            stats.importedOnlyMessages = importedOnly
            stats.messages += importedOnly
            stats.liveMessages += importedOnly
            stats.importedOnlyChannels = try count(
                "SELECT COUNT(*) FROM imported_channel i WHERE NOT EXISTS (SELECT 1 FROM channel c WHERE c.id = i.channel_id)"
            )
            stats.importedOnlyGuilds = try count(
                "SELECT COUNT(DISTINCT guild_id) FROM imported_channel i WHERE guild_id IS NOT NULL "
                    + "AND NOT EXISTS (SELECT 1 FROM guild g WHERE g.id = i.guild_id)")
            stats.channels += stats.importedOnlyChannels
            stats.guilds += stats.importedOnlyGuilds
            return stats
        }
    }

    /// See ``StructureStore/channels(in:)``. In Discord's (unsigned) order of ids: `id < 0` (at or above 2^63) last.
    public func channels(in guild: Snowflake<Guild>?) async throws -> [StoredChannel] {
        try await read("list channels") { db in
            if let guild {
                return try Row.fetchAll(
                    db, sql: "SELECT \(RecordRows.channelColumns) FROM channel WHERE guild_id = ? ORDER BY id < 0, id",
                    arguments: [guild.columnID]
                ).map(RecordRows.channel)
            }
            return try Row.fetchAll(db, sql: "SELECT \(RecordRows.channelColumns) FROM channel ORDER BY id < 0, id")
                .map(RecordRows.channel)
        }
    }

    /// See ``StructureStore/object(_:id:)``.
    public func object(_ kind: ObjectKind, id: AnySnowflake) async throws -> StoredObject? {
        try await read("read \(kind.rawValue) \(id)") { db in
            try Row.fetchOne(
                db,
                sql: "SELECT \(RecordRows.objectColumns(kind)) FROM \(kind.table) WHERE id = ?",
                arguments: [id.columnID]
            ).map { RecordRows.object(kind, $0) }
        }
    }

    /// See ``StructureStore/objects(_:in:)``.
    public func objects(_ kind: ObjectKind, in guild: Snowflake<Guild>?) async throws -> [StoredObject] {
        try await read("list \(kind.rawValue) objects") { db in
            let table = kind.table
            let columns = RecordRows.objectColumns(kind)
            if let guild, kind != .user {
                let key = kind == .guild ? "id" : "guild_id"
                return try Row.fetchAll(
                    db, sql: "SELECT \(columns) FROM \(table) WHERE \(key) = ? ORDER BY id < 0, id",
                    arguments: [guild.columnID]
                ).map { RecordRows.object(kind, $0) }
            }
            return try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table) ORDER BY id < 0, id")
                .map { RecordRows.object(kind, $0) }
        }
    }

    /// See ``StructureStore/history(_:id:)``.
    public func history(_ kind: ObjectKind, id: AnySnowflake) async throws -> [HistoryEntry] {
        try await read("read the history of \(kind.rawValue) \(id)") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT json, valid_from, replaced_at FROM object_history
                    WHERE kind = ? AND object_id = ? ORDER BY id
                    """,
                arguments: [kind.rawValue, id.columnID]
            ).map {
                HistoryEntry(
                    kind: kind, id: id, json: $0.jsonData(), validFrom: ColumnDate.date($0["valid_from"] as String),
                    replacedAt: ColumnDate.date($0["replaced_at"] as String))
            }
        }
    }

    /// See ``MessageStore/messageIDs(in:includeDeleted:)``.
    public func messageIDs(in channel: Snowflake<Channel>, includeDeleted: Bool) async throws -> [Snowflake<Message>] {
        try await read("list message ids of channel \(channel)") { db in
            let filter = includeDeleted ? "" : " AND deleted_at IS NULL"
            return try IDRangeRead(Snowflake<Message>.ids(after: nil)).rows { range, _ in
                try Int64.fetchAll(
                    db, sql: "SELECT id FROM message WHERE channel_id = ? AND id BETWEEN ? AND ?\(filter) ORDER BY id",
                    arguments: [channel.columnID, range.lowerBound, range.upperBound]
                ).map { Snowflake<Message>(columnID: $0) }
            }
        }
    }

    /// See ``MessageStore/messages(in:after:limit:)``.
    public func messages(in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int) async throws
        -> [StoredMessage]
    {
        try await read("read messages of channel \(channel)") { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT \(RecordRows.messageColumns) FROM message
                    WHERE channel_id = ? AND id BETWEEN ? AND ? ORDER BY id LIMIT ?
                    """)
            return try IDRangeRead(Snowflake.ids(after: after), limit: limit).rows { range, wanted in
                let arguments: StatementArguments = [channel.columnID, range.lowerBound, range.upperBound, wanted]
                return try Row.fetchAll(statement, arguments: arguments).map(RecordRows.message)
            }
        }
    }

    /// See ``MessageStore/messages(in:ids:)``.
    public func messages(in channel: Snowflake<Channel>, ids range: ClosedRange<Snowflake<Message>>) async throws
        -> [StoredMessage]
    {
        try await read("read messages of channel \(channel)") { db in
            try IDRangeRead(range).rows { columns, _ in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(RecordRows.messageColumns) FROM message
                        WHERE channel_id = ? AND id BETWEEN ? AND ? ORDER BY id
                        """,
                    arguments: [channel.columnID, columns.lowerBound, columns.upperBound]
                ).map(RecordRows.message)
            }
        }
    }

    /// See ``MessageStore/message(_:)``.
    public func message(_ id: Snowflake<Message>) async throws -> StoredMessage? {
        try await read("read message \(id)") { db in
            // Both a message and the starter of the thread started from it have this id: prefer the parent's row.
            try Row.fetchOne(
                db,
                sql: """
                    SELECT \(RecordRows.messageColumns) FROM message WHERE id = ?
                    ORDER BY type = 21, channel_id = id, channel_id LIMIT 1
                    """,
                arguments: [id.columnID]
            ).map(RecordRows.message)
        }
    }

    /// See ``MessageStore/message(_:in:)``.
    public func message(_ id: Snowflake<Message>, in channel: Snowflake<Channel>) async throws -> StoredMessage? {
        try await read("read message \(id) of channel \(channel)") { db in
            try Row.fetchOne(
                db, sql: "SELECT \(RecordRows.messageColumns) FROM message WHERE channel_id = ? AND id = ?",
                arguments: [channel.columnID, id.columnID]
            ).map(RecordRows.message)
        }
    }

    /// See ``MessageStore/revisions(of:in:)``.
    public func revisions(of message: Snowflake<Message>, in channel: Snowflake<Channel>) async throws
        -> [MessageRevision]
    {
        try await read("read revisions of message \(message) of channel \(channel)") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT edited_timestamp, content, json, recorded_at FROM message_revision
                    WHERE channel_id = ? AND message_id = ? ORDER BY id
                    """,
                arguments: [channel.columnID, message.columnID]
            ).map {
                MessageRevision(
                    messageId: message,
                    editedTimestamp: ($0["edited_timestamp"] as String?).map(DiscordTimestamp.init(rawValue:)),
                    content: $0["content"], json: $0.jsonData(),
                    recordedAt: ColumnDate.date($0["recorded_at"] as String))
            }
        }
    }

    /// See ``MessageStore/reactions(of:in:)``.
    public func reactions(of message: Snowflake<Message>, in channel: Snowflake<Channel>) async throws
        -> [StoredReaction]
    {
        try await read("read reactions of message \(message) of channel \(channel)") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT emoji_key, emoji_id, emoji_name, count, normal_count, burst_count FROM reaction
                    WHERE channel_id = ? AND message_id = ? ORDER BY emoji_key
                    """,
                arguments: [channel.columnID, message.columnID]
            ).map {
                StoredReaction(
                    messageId: message, emojiKey: $0["emoji_key"], emojiId: $0.snowflake("emoji_id"),
                    emojiName: $0["emoji_name"], count: $0["count"], normalCount: $0["normal_count"],
                    burstCount: $0["burst_count"])
            }
        }
    }

    /// Reaction user i ds.
    public func reactionUserIDs(
        of message: Snowflake<Message>, in channel: Snowflake<Channel>, emojiKey: String, burst: Bool
    ) async throws -> [Snowflake<User>] {
        try await read("read reaction users of message \(message) of channel \(channel)") { db in
            try Int64.fetchAll(
                db,
                sql: """
                    SELECT user_id FROM reaction_user
                    WHERE channel_id = ? AND message_id = ? AND emoji_key = ? AND burst = ?
                    ORDER BY user_id < 0, user_id
                    """,
                arguments: [channel.columnID, message.columnID, emojiKey, burst]
            ).map { Snowflake(columnID: $0) }
        }
    }

    /// See ``MessageStore/hasReactionUsers(in:)``.
    public func hasReactionUsers(in channel: Snowflake<Channel>) async throws -> Bool {
        try await read("look for reaction users of channel \(channel)") { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM reaction_user WHERE channel_id = ?)",
                arguments: [channel.columnID]) ?? false
        }
    }

    /// See ``MessageStore/searchMessages(_:in:limit:)``.
    public func searchMessages(_ text: String, in channel: Snowflake<Channel>?, limit: Int) async throws
        -> [StoredMessage]
    {
        // Every word must match; each is quoted so FTS5 operators in user text are taken literally.
        let terms = text.split(whereSeparator: \.isWhitespace).map {
            "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        guard !terms.isEmpty else { return [] }
        let query = terms.joined(separator: " ")
        return try await read("search messages") { db in
            let columns = RecordRows.messageColumns
            let channelFilter = channel == nil ? "" : " AND message.channel_id = ?"
            var arguments: StatementArguments = [query]
            if let channel { arguments += [channel.columnID] }
            arguments += [limit]
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT \(columns) FROM message_search JOIN message ON message.row_id = message_search.rowid
                    WHERE message_search MATCH ?\(channelFilter) ORDER BY message.id DESC, message.channel_id LIMIT ?
                    """,
                arguments: arguments
            ).map(RecordRows.message)
        }
    }

    // MARK: Checkpoints

    /// See ``MessageStore/saveCheckpoint(_:)``.
    public func saveCheckpoint(_ checkpoint: ChannelCheckpoint) async throws {
        let now = self.now()
        try await write("save the checkpoint of channel \(checkpoint.channelId)") { db in
            try CheckpointWriter.save(checkpoint, db: db, now: now)
        }
    }

    /// See ``MessageStore/checkpoint(for:)``.
    public func checkpoint(for channel: Snowflake<Channel>) async throws -> ChannelCheckpoint? {
        try await read("read the checkpoint of channel \(channel)") { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM channel_checkpoint WHERE channel_id = ?", arguments: [channel.columnID]
            )
            .map(CheckpointWriter.checkpoint)
        }
    }

    /// See ``MessageStore/checkpoints()``.
    public func checkpoints() async throws -> [ChannelCheckpoint] {
        try await read("read checkpoints") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM channel_checkpoint ORDER BY channel_id").map(
                CheckpointWriter.checkpoint)
        }
    }

    /// See ``MessageStore/saveSegments(_:)``.
    public func saveSegments(_ segments: [ChannelSegment]) async throws {
        let now = self.now()
        try await write("save \(segments.count) segments") { db in
            try CheckpointWriter.save(segments, db: db, now: now)
        }
    }

    /// See ``MessageStore/segments(of:)``.
    public func segments(of channel: Snowflake<Channel>) async throws -> [ChannelSegment] {
        try await read("read segments of channel \(channel)") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM channel_segment WHERE channel_id = ? ORDER BY low",
                arguments: [channel.columnID]
            ).map(CheckpointWriter.segment)
        }
    }
}
