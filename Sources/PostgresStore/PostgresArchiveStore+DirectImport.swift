import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

extension PostgresArchiveStore {
    /// See ``ImportStore/importDirectly(_:)``: each batch of the file is inserted straight into `imported_message`
    /// with one multi-row statement (`ON CONFLICT DO NOTHING`, the inserted keys returned) and recorded in
    /// `message_source` with another; the stored versions of the rest are read with one query, and only those
    /// with other JSON go through ``ImportedMessageMerge``, row by row, exactly as in
    /// ``commitImport(stage:channel:)``. Nothing is staged, every message is written once.
    public func importDirectly(_ source: some ImportMessageSource) async throws -> ImportResult? {
        let nowText = ColumnDate.text(now())
        let exportedAt = source.exportedAt.map(ImportedMessageMerge.microseconds)
        // What the source throws (a malformed file) reaches the caller as it is, not as a database failure.
        let failure = ImportSourceFailure()
        do {
            return try await write("import \(source.source)") { connection in
                var result = ImportResult()
                while let batch = try failure.catching({ try source.nextBatch() }) {
                    try await self.importBatch(
                        batch, from: source.source, exportedAt: exportedAt, nowText: nowText, connection: connection,
                        result: &result)
                }
                let header = try failure.catching { try source.channelHeader() }
                try await Self.writeImportedChannel(header, connection: connection, logger: self.logger)
                return result
            }
        } catch {
            throw failure.error ?? error
        }
    }

    // swift-format-ignore: FunctionParameterCount
    private func importBatch(
        _ batch: [ImportedMessage], from source: String, exportedAt: Int64?, nowText: String,
        connection: PostgresConnection, result: inout ImportResult
    ) async throws {
        guard !batch.isEmpty else { return }
        let jsons = try batch.map { try jsonText($0.json, what: "imported message \($0.id)") }
        let ids = batch.map(\.id.columnID)
        let channels = batch.map(\.channelId.columnID)

        // New messages, in file order (of a message given twice, the first is inserted, the next merged with it).
        var insert = SQLBuilder()
        insert.append(
            """
            INSERT INTO imported_message (id, channel_id, guild_id, timestamp, json, imported_at, updated_at,
                exported_at)
            SELECT id, channel_id, guild_id, timestamp, json::json, imported_at, imported_at, exported_at
            FROM (SELECT t.*,
            """)
        insert.bind(nowText, cast: "::text")
        insert.append(" AS imported_at, ")
        insert.bind(exportedAt, cast: "::bigint")
        insert.append(" AS exported_at FROM unnest(")
        insert.bind(ids, cast: "::bigint[]")
        insert.append(", ")
        insert.bind(channels, cast: "::bigint[]")
        insert.append(", ")
        insert.bind(NullableArray(batch.map { $0.guildId.columnID() }), cast: "::bigint[]")
        insert.append(", ")
        insert.bind(NullableArray(batch.map { $0.timestamp.map(pgText) }), cast: "::text[]")
        insert.append(", ")
        insert.bind(jsons, cast: "::text[]")
        insert.append(
            """
            ) WITH ORDINALITY AS t(id, channel_id, guild_id, timestamp, json, position)) AS rows
            ORDER BY position
            ON CONFLICT (channel_id, id) DO NOTHING RETURNING channel_id, id
            """)
        var inserted: Set<MessageKey> = []
        for row in try await connection.query(insert.query, logger: logger).collect() {
            let (channel, id) = try row.decode((Int64, Int64).self)
            inserted.insert(MessageKey(channel: channel, id: id))
        }

        // The rest: what the archive holds for them (a version inserted just now included), then merged in order.
        var stored: [MessageKey: ImportedMessageMerge.Version] = [:]
        var conflicts: [Int] = []
        var unread: [MessageKey] = []
        for (index, message) in batch.enumerated() {
            let key = MessageKey(channel: message.channelId.columnID, id: message.id.columnID)
            if inserted.remove(key) != nil {
                result.inserted += 1
                stored[key] = ImportedMessageMerge.Version(json: jsons[index], exportedAt: exportedAt)
            } else {
                conflicts.append(index)
                if stored[key] == nil { unread.append(key) }
            }
        }
        if !unread.isEmpty {
            var read = SQLBuilder()
            read.append("SELECT m.channel_id, m.id, m.json::text, m.exported_at FROM unnest(")
            read.bind(unread.map(\.channel), cast: "::bigint[]")
            read.append(", ")
            read.bind(unread.map(\.id), cast: "::bigint[]")
            read.append(
                """
                ) AS k(channel_id, id) JOIN imported_message m ON m.channel_id = k.channel_id AND m.id = k.id
                FOR UPDATE OF m
                """)
            for row in try await connection.query(read.query, logger: logger).collect() {
                let (channel, id, json, exported) = try row.decode((Int64, Int64, String, Int64?).self)
                stored[MessageKey(channel: channel, id: id)] = ImportedMessageMerge.Version(
                    json: json, exportedAt: exported)
            }
        }
        for index in conflicts {
            let message = batch[index]
            let key = MessageKey(channel: message.channelId.columnID, id: message.id.columnID)
            let incoming = ImportedMessageMerge.Version(json: jsons[index], exportedAt: exportedAt)
            guard let old = stored[key] else { continue }
            switch ImportedMessageMerge.decide(stored: old, incoming: incoming) {
            case .unchanged, .new:
                result.unchanged += 1
            case .keepStored:
                result.older += 1
                try await keepImportedRevision(key, incoming, nowText: nowText, connection: connection)
            case .replace:
                result.updated += 1
                try await keepImportedRevision(key, old, nowText: nowText, connection: connection)
                try await connection.query(
                    """
                    UPDATE imported_message SET guild_id = \(message.guildId.columnID()),
                        timestamp = \(message.timestamp.map(pgText)), json = \(incoming.json)::json,
                        updated_at = \(nowText), exported_at = \(exportedAt)
                    WHERE channel_id = \(key.channel) AND id = \(key.id)
                    """, logger: logger)
                stored[key] = incoming
            }
        }

        // The file is a source of every message it holds.
        var sources = SQLBuilder()
        sources.append("INSERT INTO message_source (channel_id, message_id, source, imported_at) SELECT t.*, ")
        sources.bind(source, cast: "::text")
        sources.append(", ")
        sources.bind(nowText, cast: "::text")
        sources.append(" FROM unnest(")
        sources.bind(channels, cast: "::bigint[]")
        sources.append(", ")
        sources.bind(ids, cast: "::bigint[]")
        sources.append(") AS t ON CONFLICT DO NOTHING")
        try await connection.query(sources.query, logger: logger)
    }

    /// Keeps `version` as a revision of an imported message, unless it is one already.
    private func keepImportedRevision(
        _ key: MessageKey, _ version: ImportedMessageMerge.Version, nowText: String, connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO imported_revision (channel_id, message_id, json, exported_at, recorded_at)
            SELECT \(key.channel), \(key.id), \(version.json)::json, \(version.exportedAt), \(nowText)
            WHERE NOT EXISTS (
                SELECT 1 FROM imported_revision
                WHERE channel_id = \(key.channel) AND message_id = \(key.id) AND json::text = \(version.json))
            """, logger: logger)
    }

    /// Replaces the header of an imported channel.
    static func writeImportedChannel(
        _ channel: ImportedChannel, connection: PostgresConnection, logger: Logger
    ) async throws {
        let guildJSON = try jsonText(channel.guildJSON, what: "guild of \(channel.source)")
        let channelJSON = try jsonText(channel.channelJSON, what: "channel of \(channel.source)")
        try await connection.query(
            """
            INSERT INTO imported_channel (channel_id, guild_id, guild_json, channel_json, source, imported_at)
            VALUES (\(channel.channelId.columnID), \(channel.guildId.columnID()), \(guildJSON)::json,
                \(channelJSON)::json, \(channel.source), \(ColumnDate.text(channel.importedAt)))
            ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id, guild_json = excluded.guild_json,
                channel_json = excluded.channel_json, source = excluded.source, imported_at = excluded.imported_at
            """, logger: logger)
    }
}
