import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

extension PostgresArchiveStore {
    /// See ``ArchiveStore/stats()``.
    public func stats() async throws -> ArchiveStats {
        try await read("count the archive") { connection in
            let row = try await connection.query(
                """
                SELECT (SELECT count(*) FROM guild),
                    (SELECT count(*) FROM channel WHERE NOT is_thread),
                    (SELECT count(*) FROM channel WHERE is_thread),
                    (SELECT count(*) FROM message),
                    (SELECT count(*) FROM message WHERE edited_timestamp IS NOT NULL),
                    (SELECT count(*) FROM message WHERE deleted_at IS NOT NULL),
                    (SELECT count(*) FROM message_revision),
                    (SELECT count(*) FROM attachment),
                    (SELECT count(*) FROM attachment WHERE sha256 IS NOT NULL),
                    (SELECT count(*) FROM reaction),
                    (SELECT count(*) FROM discord_user),
                    (SELECT count(*) FROM member),
                    (SELECT count(*) FROM role),
                    (SELECT count(*) FROM emoji),
                    (SELECT count(*) FROM sticker),
                    (SELECT count(*) FROM scheduled_event),
                    (SELECT count(*) FROM imported_message i WHERE NOT EXISTS (SELECT 1 FROM message m WHERE m.id = i.id)),
                    (SELECT count(*) FROM imported_channel i
                        WHERE NOT EXISTS (SELECT 1 FROM channel c WHERE c.id = i.channel_id)),
                    (SELECT count(DISTINCT guild_id) FROM imported_channel i
                        WHERE guild_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM guild g WHERE g.id = i.guild_id))
                """, logger: self.logger
            ).collect()
            var counts = Array(repeating: 0, count: 19)
            if let first = row.first {
                for (index, cell) in first.enumerated() { counts[index] = Int(try cell.decode(Int64.self)) }
            }
            var stats = ArchiveStats(
                guilds: counts[0] + counts[18], channels: counts[1] + counts[17], threads: counts[2],
                messages: counts[3] + counts[16],
                liveMessages: counts[3] - counts[5] + counts[16], editedMessages: counts[4],
                deletedMessages: counts[5], revisions: counts[6], attachments: counts[7],
                downloadedAttachments: counts[8], reactions: counts[9], users: counts[10], members: counts[11],
                roles: counts[12], emojis: counts[13], stickers: counts[14], scheduledEvents: counts[15])
            stats.importedOnlyMessages = counts[16]
            stats.importedOnlyChannels = counts[17]
            stats.importedOnlyGuilds = counts[18]
            return stats
        }
    }

    /// See ``StructureStore/channels(in:)``.
    public func channels(in guild: Snowflake<Guild>?) async throws -> [StoredChannel] {
        try await read("list channels") { connection in
            var builder = SQLBuilder()
            builder.append("SELECT \(PostgresRecordRows.channelColumns) FROM channel")
            if let guild {
                builder.append(" WHERE guild_id = ")
                builder.bind(guild.columnID)
            }
            builder.append(" ORDER BY id < 0, id")  // Discord's (unsigned) order
            return try await connection.query(builder.query, logger: self.logger).collect()
                .map(PostgresRecordRows.channel)
        }
    }

    /// See ``StructureStore/object(_:id:)``.
    public func object(_ kind: ObjectKind, id: AnySnowflake) async throws -> StoredObject? {
        try await read("read \(kind.rawValue) \(id)") { connection in
            var builder = SQLBuilder()
            builder.append(
                "SELECT \(PostgresRecordRows.objectColumns(kind)) FROM \(kind.table) "
                    + "WHERE id = ")
            builder.bind(id.columnID)
            return try await connection.query(builder.query, logger: self.logger).collect().first
                .map { try PostgresRecordRows.object(kind, $0) }
        }
    }

    /// See ``StructureStore/objects(_:in:)``.
    public func objects(_ kind: ObjectKind, in guild: Snowflake<Guild>?) async throws -> [StoredObject] {
        try await read("list \(kind.rawValue) objects") { connection in
            var builder = SQLBuilder()
            builder.append(
                "SELECT \(PostgresRecordRows.objectColumns(kind)) FROM \(kind.table)")
            if let guild, kind != .user {
                builder.append(kind == .guild ? " WHERE id = " : " WHERE guild_id = ")
                builder.bind(guild.columnID)
            }
            builder.append(" ORDER BY id < 0, id")  // Discord's (unsigned) order
            return try await connection.query(builder.query, logger: self.logger).collect()
                .map { try PostgresRecordRows.object(kind, $0) }
        }
    }

    /// See ``StructureStore/history(_:id:)``.
    public func history(_ kind: ObjectKind, id: AnySnowflake) async throws -> [HistoryEntry] {
        try await read("read the history of \(kind.rawValue) \(id)") { connection in
            try await connection.query(
                """
                SELECT json::text, valid_from, replaced_at FROM object_history
                WHERE kind = \(kind.rawValue) AND object_id = \(id.columnID) ORDER BY id
                """, logger: self.logger
            ).collect().map {
                let (json, validFrom, replacedAt) = try $0.decode((String, String, String).self)
                return HistoryEntry(
                    kind: kind, id: id, json: Data(json.utf8), validFrom: ColumnDate.date(validFrom),
                    replacedAt: ColumnDate.date(replacedAt))
            }
        }
    }

    /// See ``MessageStore/messageIDs(in:includeDeleted:)``.
    public func messageIDs(in channel: Snowflake<DiscordModels.Channel>, includeDeleted: Bool) async throws
        -> [Snowflake<Message>]
    {
        try await read("list message ids of channel \(channel)") { connection in
            let filter = includeDeleted ? "" : " AND deleted_at IS NULL"
            return try await IDRangeRead(Snowflake<Message>.ids(after: nil)).asyncRows { range, _ in
                var builder = SQLBuilder()
                builder.append("SELECT id FROM message WHERE channel_id = ")
                builder.bind(channel.columnID)
                builder.append(" AND ")
                builder.between("id", range)
                builder.append("\(filter) ORDER BY id")
                return try await connection.query(builder.query, logger: self.logger).collect()
                    .map { Snowflake<Message>(columnID: try $0.decode(Int64.self)) }
            }
        }
    }

    /// See ``MessageStore/messages(in:after:limit:)``.
    public func messages(in channel: Snowflake<DiscordModels.Channel>, after: Snowflake<Message>?, limit: Int)
        async throws
        -> [StoredMessage]
    {
        try await read("read messages of channel \(channel)") { connection in
            try await IDRangeRead(Snowflake.ids(after: after), limit: limit).asyncRows { range, wanted in
                try await connection.query(
                    """
                    SELECT \(unescaped: PostgresRecordRows.messageColumns) FROM message
                    WHERE channel_id = \(channel.columnID) AND id BETWEEN \(range.lowerBound) AND \(range.upperBound)
                    ORDER BY id LIMIT \(Int64(wanted))
                    """, logger: self.logger
                ).collect().map(PostgresRecordRows.message)
            }
        }
    }

    /// See ``MessageStore/messages(in:ids:)``.
    public func messages(in channel: Snowflake<DiscordModels.Channel>, ids range: ClosedRange<Snowflake<Message>>)
        async throws
        -> [StoredMessage]
    {
        try await read("read messages of channel \(channel)") { connection in
            try await IDRangeRead(range).asyncRows { columns, _ in
                try await connection.query(
                    """
                    SELECT \(unescaped: PostgresRecordRows.messageColumns) FROM message
                    WHERE channel_id = \(channel.columnID) AND id BETWEEN \(columns.lowerBound) AND \(columns.upperBound)
                    ORDER BY id
                    """, logger: self.logger
                ).collect().map(PostgresRecordRows.message)
            }
        }
    }

    /// See ``MessageStore/message(_:)``.
    public func message(_ id: Snowflake<Message>) async throws -> StoredMessage? {
        try await read("read message \(id)") { connection in
            // Both a message and the starter of the thread started from it have this id: prefer the parent's row.
            try await connection.query(
                """
                SELECT \(unescaped: PostgresRecordRows.messageColumns) FROM message WHERE id = \(id.columnID)
                ORDER BY type = 21, channel_id = id, channel_id LIMIT 1
                """, logger: self.logger
            ).collect().first.map(PostgresRecordRows.message)
        }
    }

    /// See ``MessageStore/message(_:in:)``.
    public func message(_ id: Snowflake<Message>, in channel: Snowflake<DiscordModels.Channel>) async throws
        -> StoredMessage?
    {
        try await read("read message \(id) of channel \(channel)") { connection in
            try await connection.query(
                """
                SELECT \(unescaped: PostgresRecordRows.messageColumns) FROM message
                WHERE channel_id = \(channel.columnID) AND id = \(id.columnID)
                """, logger: self.logger
            ).collect().first.map(PostgresRecordRows.message)
        }
    }

    /// See ``MessageStore/revisions(of:in:)``.
    public func revisions(of message: Snowflake<Message>, in channel: Snowflake<DiscordModels.Channel>) async throws
        -> [MessageRevision]
    {
        try await read("read revisions of message \(message) of channel \(channel)") { connection in
            try await connection.query(
                """
                SELECT edited_timestamp, content, json::text, recorded_at FROM message_revision
                WHERE channel_id = \(channel.columnID) AND message_id = \(message.columnID) ORDER BY id
                """, logger: self.logger
            ).collect().map {
                let (edited, content, json, recordedAt) = try $0.decode((String?, String, String, String).self)
                return MessageRevision(
                    messageId: message, editedTimestamp: edited.map(DiscordTimestamp.init(rawValue:)),
                    content: content, json: Data(json.utf8), recordedAt: ColumnDate.date(recordedAt))
            }
        }
    }

    /// See ``MessageStore/reactions(of:in:)``.
    public func reactions(of message: Snowflake<Message>, in channel: Snowflake<DiscordModels.Channel>) async throws
        -> [StoredReaction]
    {
        try await read("read reactions of message \(message) of channel \(channel)") { connection in
            // Byte order of the key, as SQLite's BINARY collation sorts it.
            try await connection.query(
                """
                SELECT emoji_key, emoji_id, emoji_name, count, normal_count, burst_count FROM reaction
                WHERE channel_id = \(channel.columnID) AND message_id = \(message.columnID) ORDER BY emoji_key COLLATE "C"
                """, logger: self.logger
            ).collect().map {
                let (key, emojiId, name, count, normal, burst) = try $0.decode(
                    (String, Int64?, String?, Int32, Int32?, Int32?).self)
                return StoredReaction(
                    messageId: message, emojiKey: key, emojiId: emojiId.map { Snowflake(columnID: $0) },
                    emojiName: name,
                    count: Int(count), normalCount: normal.map(Int.init), burstCount: burst.map(Int.init))
            }
        }
    }

    /// Reaction user i ds.
    public func reactionUserIDs(
        of message: Snowflake<Message>, in channel: Snowflake<DiscordModels.Channel>, emojiKey: String, burst: Bool
    ) async throws -> [Snowflake<User>] {
        try await read("read reaction users of message \(message) of channel \(channel)") { connection in
            try await connection.query(
                """
                SELECT user_id FROM reaction_user
                WHERE channel_id = \(channel.columnID) AND message_id = \(message.columnID) AND emoji_key = \(emojiKey) AND burst = \(burst) ORDER BY user_id < 0, user_id
                """, logger: self.logger
            ).collect().map { Snowflake(columnID: try $0.decode(Int64.self)) }
        }
    }

    /// See ``MessageStore/hasReactionUsers(in:)``.
    public func hasReactionUsers(in channel: Snowflake<DiscordModels.Channel>) async throws -> Bool {
        try await read("look for reaction users of channel \(channel)") { connection in
            try await connection.query(
                "SELECT EXISTS (SELECT 1 FROM reaction_user WHERE channel_id = \(channel.columnID))",
                logger: self.logger
            ).collect().first?.decode(Bool.self) ?? false
        }
    }

    /// See ``MessageStore/searchMessages(_:in:limit:)``.
    public func searchMessages(_ text: String, in channel: Snowflake<DiscordModels.Channel>?, limit: Int) async throws
        -> [StoredMessage]
    {
        // Every word must match; `plainto_tsquery` takes the words literally (no operators), like the quoted terms
        // of the SQLite backend's FTS5 query.
        let words = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !words.isEmpty else { return [] }
        return try await read("search messages") { connection in
            var builder = SQLBuilder()
            builder.append(
                "SELECT \(PostgresRecordRows.messageColumns) FROM message "
                    + "WHERE \(Self.searchVector) @@ plainto_tsquery('simple'::regconfig, ")
            builder.bind(pgText(words))
            builder.append(")")
            if let channel {
                builder.append(" AND channel_id = ")
                builder.bind(channel.columnID)
            }
            builder.append(" ORDER BY id DESC LIMIT ")
            builder.bind(Int64(limit))
            return try await connection.query(builder.query, logger: self.logger).collect()
                .map(PostgresRecordRows.message)
        }
    }

    // MARK: Checkpoints

    /// See ``MessageStore/saveCheckpoint(_:)``.
    public func saveCheckpoint(_ checkpoint: ChannelCheckpoint) async throws {
        let nowText = ColumnDate.text(now())
        try await read("save the checkpoint of channel \(checkpoint.channelId)") { connection in
            try await PostgresCheckpointWriter.save(
                checkpoint, connection: connection, logger: self.logger, nowText: nowText)
        }
    }

    /// See ``MessageStore/checkpoint(for:)``.
    public func checkpoint(for channel: Snowflake<DiscordModels.Channel>) async throws -> ChannelCheckpoint? {
        try await read("read the checkpoint of channel \(channel)") { connection in
            try await connection.query(
                """
                SELECT \(unescaped: PostgresCheckpointWriter.checkpointColumns) FROM channel_checkpoint
                WHERE channel_id = \(channel.columnID)
                """, logger: self.logger
            ).collect().first.map(PostgresCheckpointWriter.checkpoint)
        }
    }

    /// See ``MessageStore/checkpoints()``.
    public func checkpoints() async throws -> [ChannelCheckpoint] {
        try await read("read checkpoints") { connection in
            try await connection.query(
                """
                SELECT \(unescaped: PostgresCheckpointWriter.checkpointColumns) FROM channel_checkpoint
                ORDER BY channel_id
                """, logger: self.logger
            ).collect().map(PostgresCheckpointWriter.checkpoint)
        }
    }

    /// See ``MessageStore/saveSegments(_:)``.
    public func saveSegments(_ segments: [ChannelSegment]) async throws {
        let nowText = ColumnDate.text(now())
        try await write("save \(segments.count) segments") { connection in
            try await PostgresCheckpointWriter.save(
                segments, connection: connection, logger: self.logger, nowText: nowText)
        }
    }

    /// See ``MessageStore/segments(of:)``.
    public func segments(of channel: Snowflake<DiscordModels.Channel>) async throws -> [ChannelSegment] {
        try await read("read segments of channel \(channel)") { connection in
            try await connection.query(
                """
                SELECT channel_id, low, high, cursor, done FROM channel_segment
                WHERE channel_id = \(channel.columnID) ORDER BY low
                """, logger: self.logger
            ).collect().map(PostgresCheckpointWriter.segment)
        }
    }
}
