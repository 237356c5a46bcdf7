import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

extension PostgresArchiveStore {
    /// See ``ImportStore/stageImportedMessages(_:stage:)``.
    public func stageImportedMessages(_ messages: [ImportedMessage], stage: UUID) async throws {
        // A message staged twice keeps the later version (one multi-row statement cannot upsert a row twice).
        var last: [MessageKey: Int] = [:]
        for (index, message) in messages.enumerated() {
            last[MessageKey(channel: message.channelId.columnID, id: message.id.columnID)] = index
        }
        let rows = last.values.sorted()
        let jsons = try rows.map { try jsonText(messages[$0].json, what: "imported message \(messages[$0].id)") }
        guard !rows.isEmpty else { return }
        try await write("stage imported messages") { connection in
            try await connection.query(
                """
                INSERT INTO import_stage AS s (stage, id, channel_id, guild_id, timestamp, json)
                SELECT \(stage.uuidString), id, channel_id, guild_id, timestamp, json::json
                FROM unnest(\(rows.map { messages[$0].id.columnID })::bigint[],
                    \(rows.map { messages[$0].channelId.columnID })::bigint[],
                    \(NullableArray(rows.map { messages[$0].guildId.columnID() }))::bigint[],
                    \(NullableArray(rows.map { messages[$0].timestamp.map(pgText) }))::text[],
                    \(jsons)::text[]) AS t(id, channel_id, guild_id, timestamp, json)
                ON CONFLICT (stage, channel_id, id) DO UPDATE SET guild_id = excluded.guild_id,
                    timestamp = excluded.timestamp, json = excluded.json
                """, logger: self.logger)
        }
    }

    /// See ``ImportStore/commitImport(stage:channel:)``.
    public func commitImport(stage: UUID, channel: ImportedChannel) async throws -> ImportResult {
        let nowText = ColumnDate.text(now())
        let guildJSON = try jsonText(channel.guildJSON, what: "guild of \(channel.source)")
        let channelJSON = try jsonText(channel.channelJSON, what: "channel of \(channel.source)")
        let exportedAt = channel.exportedAt.map(ImportedMessageMerge.microseconds)
        return try await write("commit the import of \(channel.source)") { connection in
            let countRows = try await connection.query(
                """
                SELECT count(*) FILTER (WHERE m.id IS NULL), count(*) FILTER (WHERE m.json::text = s.json::text)
                FROM import_stage s LEFT JOIN imported_message m ON m.channel_id = s.channel_id AND m.id = s.id
                WHERE s.stage = \(stage.uuidString)
                """, logger: self.logger
            ).collect()
            var result = ImportResult()
            if let row = countRows.first {
                let (inserted, unchanged) = try row.decode((Int64, Int64).self)
                result.inserted = Int(inserted)
                result.unchanged = Int(unchanged)
            }
            // Versions that disagree are few: the rule (ImportedMessageMerge) is applied here, row by row.
            let conflicts = try await connection.query(
                """
                SELECT s.channel_id, s.id, s.json::text, m.json::text, m.exported_at
                FROM import_stage s JOIN imported_message m ON m.channel_id = s.channel_id AND m.id = s.id
                WHERE s.stage = \(stage.uuidString) AND m.json::text <> s.json::text
                """, logger: self.logger
            ).collect()
            try await connection.query(
                """
                INSERT INTO imported_message (id, channel_id, guild_id, timestamp, json, imported_at, updated_at,
                    exported_at)
                SELECT id, channel_id, guild_id, timestamp, json, \(nowText), \(nowText), \(exportedAt)
                FROM import_stage WHERE stage = \(stage.uuidString)
                ON CONFLICT (channel_id, id) DO NOTHING
                """, logger: self.logger)
            for row in conflicts {
                let (channelId, id, json, old, oldExported) = try row.decode(
                    (Int64, Int64, String, String, Int64?).self)
                let decision = ImportedMessageMerge.decide(
                    stored: ImportedMessageMerge.Version(json: old, exportedAt: oldExported),
                    incoming: ImportedMessageMerge.Version(json: json, exportedAt: exportedAt))
                let kept: (json: String, exportedAt: Int64?) =
                    decision == .keepStored ? (json, exportedAt) : (old, oldExported)
                if decision == .keepStored {
                    result.older += 1
                } else {
                    result.updated += 1
                    try await connection.query(
                        """
                        UPDATE imported_message AS m SET guild_id = s.guild_id, timestamp = s.timestamp, json = s.json,
                            updated_at = \(nowText), exported_at = \(exportedAt)
                        FROM import_stage s
                        WHERE s.stage = \(stage.uuidString) AND s.channel_id = \(channelId) AND s.id = \(id)
                            AND m.channel_id = s.channel_id AND m.id = s.id
                        """, logger: self.logger)
                }
                try await connection.query(
                    """
                    INSERT INTO imported_revision (channel_id, message_id, json, exported_at, recorded_at)
                    SELECT \(channelId), \(id), \(kept.json)::json, \(kept.exportedAt), \(nowText)
                    WHERE NOT EXISTS (
                        SELECT 1 FROM imported_revision
                        WHERE channel_id = \(channelId) AND message_id = \(id) AND json::text = \(kept.json))
                    """, logger: self.logger)
            }
            try await connection.query(
                """
                INSERT INTO message_source (channel_id, message_id, source, imported_at)
                SELECT channel_id, id, \(channel.source), \(nowText) FROM import_stage WHERE stage = \(stage.uuidString)
                ON CONFLICT DO NOTHING
                """, logger: self.logger)
            try await connection.query(
                "DELETE FROM import_stage WHERE stage = \(stage.uuidString)", logger: self.logger)
            try await connection.query(
                """
                INSERT INTO imported_channel (channel_id, guild_id, guild_json, channel_json, source, imported_at)
                VALUES (\(channel.channelId.columnID), \(channel.guildId.columnID()), \(guildJSON)::json, \(channelJSON)::json,
                    \(channel.source), \(ColumnDate.text(channel.importedAt)))
                ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id, guild_json = excluded.guild_json,
                    channel_json = excluded.channel_json, source = excluded.source, imported_at = excluded.imported_at
                """, logger: self.logger)
            return result
        }
    }

    /// See ``ImportStore/discardImport(stage:)``.
    public func discardImport(stage: UUID) async throws {
        try await write("discard an import") { connection in
            try await connection.query(
                "DELETE FROM import_stage WHERE stage = \(stage.uuidString)", logger: self.logger)
        }
    }

    /// See ``ImportStore/importedChannels()``.
    public func importedChannels() async throws -> [ImportedChannel] {
        try await read("list imported channels") { connection in
            try await connection.query(
                """
                SELECT channel_id, guild_id, guild_json::text, channel_json::text, source, imported_at
                FROM imported_channel ORDER BY channel_id
                """, logger: self.logger
            ).collect().map {
                let (channel, guild, guildJSON, channelJSON, source, importedAt) = try $0.decode(
                    (Int64, Int64?, String, String, String, String).self)
                return ImportedChannel(
                    channelId: Snowflake(columnID: channel), guildId: guild.map { Snowflake(columnID: $0) },
                    guildJSON: Data(guildJSON.utf8), channelJSON: Data(channelJSON.utf8), source: source,
                    importedAt: ColumnDate.date(importedAt))
            }
        }
    }

    /// See ``ImportStore/importedMessages(in:after:limit:)``.
    public func importedMessages(in channel: Snowflake<DiscordModels.Channel>, after: Snowflake<Message>?, limit: Int)
        async throws -> [ImportedMessage]
    {
        try await importedMessages(in: channel, ids: Snowflake.ids(after: after), newestFirst: false, limit: limit)
    }

    /// See ``ImportStore/importedMessages(in:before:limit:)``.
    public func importedMessages(
        in channel: Snowflake<DiscordModels.Channel>, before: Snowflake<Message>?, limit: Int
    ) async throws -> [ImportedMessage] {
        try await importedMessages(in: channel, ids: Snowflake.ids(before: before), newestFirst: true, limit: limit)
    }

    /// Up to `limit` imported messages of `channel` with ids in `ids`, from the end nearest the cursor, in Discord's
    /// (unsigned) order: ids below 2^63, then those above (negative columns), or the reverse newest first.
    private func importedMessages(
        in channel: Snowflake<DiscordModels.Channel>, ids: ClosedRange<Snowflake<Message>>?, newestFirst: Bool,
        limit: Int
    ) async throws -> [ImportedMessage] {
        try await read("read imported messages of channel \(channel)") { connection in
            let order: IDRangeRead.Order = newestFirst ? .descending : .ascending
            return try await IDRangeRead(ids, order: order, limit: limit).asyncRows { range, wanted in
                var builder = SQLBuilder()
                builder.append("SELECT \(Self.importedColumns) FROM imported_message WHERE channel_id = ")
                builder.bind(channel.columnID)
                builder.append(" AND ")
                builder.between("id", range)
                builder.append(newestFirst ? " ORDER BY id DESC LIMIT " : " ORDER BY id LIMIT ")
                builder.bind(Int64(wanted))
                return try await connection.query(builder.query, logger: self.logger).collect()
                    .map(Self.importedMessageRecord)
            }
        }
    }

    /// See ``ImportStore/importedMessage(_:in:)``.
    public func importedMessage(_ id: Snowflake<Message>, in channel: Snowflake<DiscordModels.Channel>)
        async throws -> ImportedMessage?
    {
        try await read("read imported message \(id) of channel \(channel)") { connection in
            try await connection.query(
                """
                SELECT \(unescaped: Self.importedColumns) FROM imported_message
                WHERE channel_id = \(channel.columnID) AND id = \(id.columnID)
                """, logger: self.logger
            ).collect().first.map(Self.importedMessageRecord)
        }
    }

    /// See ``ImportStore/importedAuthors(named:)``.
    public func importedAuthors(named name: String) async throws -> [Snowflake<User>] {
        try await read("find imported authors named \(name)") { connection in
            var ids = Set<String>()
            for key in ["lower(json->'author'->>'name')", "lower(json->'author'->>'nickname')"] {
                var binds = PostgresBindings()
                binds.append(name)
                let scan = DistinctValueScan.sql(
                    table: "imported_message", key: key, value: "json->'author'->>'id'", parameter: "$1")
                for row in try await connection.query(PostgresQuery(unsafeSQL: scan, binds: binds), logger: self.logger)
                    .collect()
                {
                    if let id = try row.decode(String?.self) { ids.insert(id) }
                }
            }
            return ids.compactMap { Snowflake($0) }.sorted()
        }
    }

    /// The columns of an `imported_message` row its record is made from (``importedMessageRecord(_:)``).
    static let importedColumns = "id, channel_id, guild_id, timestamp, json::text"

    /// An `imported_message` row read with ``importedColumns`` (and any other columns after them) as its record.
    static func importedMessageRecord(_ row: PostgresRow) throws -> ImportedMessage {
        let columns = row.makeRandomAccess()
        let id = try columns[0].decode(Int64.self)
        let channelId = try columns[1].decode(Int64.self)
        let guild = try columns[2].decode(Int64?.self)
        let timestamp = try columns[3].decode(String?.self)
        let json = try columns[4].decode(String.self)
        return ImportedMessage(
            id: Snowflake(columnID: id), channelId: Snowflake(columnID: channelId),
            guildId: guild.map { Snowflake(columnID: $0) }, timestamp: timestamp, json: Data(json.utf8))
    }

    /// See ``ImportStore/importedRevisions(of:in:)``.
    public func importedRevisions(of message: Snowflake<Message>, in channel: Snowflake<DiscordModels.Channel>)
        async throws -> [Data]
    {
        try await read("read the imported revisions of message \(message) of channel \(channel)") { connection in
            try await connection.query(
                """
                SELECT json::text FROM imported_revision
                WHERE channel_id = \(channel.columnID) AND message_id = \(message.columnID) ORDER BY id
                """, logger: self.logger
            ).collect().map { Data(try $0.decode(String.self).utf8) }
        }
    }

    /// See ``ImportStore/messageSources(of:)``.
    public func messageSources(of message: Snowflake<Message>) async throws -> [String] {
        try await read("read the sources of message \(message)") { connection in
            try await connection.query(
                """
                SELECT source FROM message_source WHERE message_id = \(message.columnID)
                GROUP BY source ORDER BY min(imported_at), source COLLATE "C"
                """, logger: self.logger
            ).collect().map { try $0.decode(String.self) }
        }
    }

    /// See ``ImportStore/messageSources(of:in:)``.
    public func messageSources(of message: Snowflake<Message>, in channel: Snowflake<DiscordModels.Channel>)
        async throws -> [String]
    {
        try await read("read the sources of message \(message) of channel \(channel)") { connection in
            try await connection.query(
                """
                SELECT source FROM message_source WHERE channel_id = \(channel.columnID) AND message_id = \(message.columnID)
                ORDER BY imported_at, source COLLATE "C"
                """, logger: self.logger
            ).collect().map { try $0.decode(String.self) }
        }
    }

    /// See ``StructureStore/member(_:in:)``.
    public func member(_ user: Snowflake<User>, in guild: Snowflake<Guild>) async throws -> Data? {
        try await read("read member \(user) of guild \(guild)") { connection in
            try await connection.query(
                """
                SELECT json::text FROM member
                WHERE guild_id = \(guild.columnID) AND user_id = \(user.columnID) AND left_at IS NULL
                """,
                logger: self.logger
            ).collect().first.map { Data(try $0.decode(String.self).utf8) }
        }
    }
}

/// A message's identity: (channel, id).
struct MessageKey: Hashable {
    var channel: Int64
    var id: Int64
}
