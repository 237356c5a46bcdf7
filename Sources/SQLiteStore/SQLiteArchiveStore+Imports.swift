import ArchiveStore
import DiscordModels
import Foundation
import GRDB
import GRDBSQLite

extension SQLiteArchiveStore {
    /// See ``ImportStore/stageImportedMessages(_:stage:)``.
    public func stageImportedMessages(_ messages: [ImportedMessage], stage: UUID) async throws {
        try await write("stage imported messages") { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO import_stage (stage, id, channel_id, guild_id, timestamp, json)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (stage, channel_id, id) DO UPDATE SET guild_id = excluded.guild_id,
                        timestamp = excluded.timestamp, json = excluded.json
                    """)
            for message in messages {
                try statement.execute(arguments: [
                    stage.uuidString, message.id.columnID, message.channelId.columnID, message.guildId.columnID(),
                    message.timestamp, try jsonText(message.json, what: "imported message \(message.id)"),
                ])
            }
        }
    }

    /// See ``ImportStore/commitImport(stage:channel:)``.
    public func commitImport(stage: UUID, channel: ImportedChannel) async throws -> ImportResult {
        let nowText = ColumnDate.text(now())
        let exportedAt = channel.exportedAt.map(ImportedMessageMerge.microseconds)
        return try await write("commit the import of \(channel.source)") { db in
            var result = ImportResult()
            let stageId = stage.uuidString
            // Set-based, as on PostgreSQL: new messages and the files they came from go in one statement each;
            // only versions that disagree (few) are decided row by row (ImportedMessageMerge).
            if let counts = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(m.id IS NULL), 0) AS inserted, COALESCE(SUM(m.json = s.json), 0) AS unchanged
                    FROM import_stage s LEFT JOIN imported_message m ON m.channel_id = s.channel_id AND m.id = s.id
                    WHERE s.stage = ?
                    """,
                arguments: [stageId])
            {
                result.inserted = counts["inserted"]
                result.unchanged = counts["unchanged"]
            }
            let conflicts = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.channel_id, s.id, s.guild_id, s.timestamp, s.json, m.json AS old_json,
                        m.exported_at AS old_exported_at
                    FROM import_stage s JOIN imported_message m ON m.channel_id = s.channel_id AND m.id = s.id
                    WHERE s.stage = ? AND m.json <> s.json ORDER BY s.channel_id, s.id
                    """,
                arguments: [stageId])
            let lastRow = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM imported_message") ?? 0
            try db.execute(
                sql: """
                    INSERT INTO imported_message (id, channel_id, guild_id, timestamp, json, imported_at, updated_at,
                        exported_at)
                    SELECT id, channel_id, guild_id, timestamp, json, ?, ?, ? FROM import_stage WHERE stage = ?
                    ON CONFLICT (channel_id, id) DO NOTHING
                    """,
                arguments: [nowText, nowText, exportedAt, stageId])
            // The new rows took the rowids after the last one: indexed in one statement, before a merge below
            // re-indexes any of them.
            if let newest = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM imported_message"), newest > lastRow {
                try db.execute(sql: MessageSearchFeed.Index.imported.rangeSQL, arguments: [lastRow + 1, newest])
                try ImportedMessageAuthors.fill(db, rowIDs: lastRow + 1...newest)
            }
            let merge = try ConflictMerge(db: db, now: nowText)
            for row in conflicts {
                try merge.resolve(
                    channelId: row["channel_id"], id: row["id"], guildId: row["guild_id"], timestamp: row["timestamp"],
                    json: row["json"], exportedAt: exportedAt, old: row["old_json"],
                    oldExported: row["old_exported_at"],
                    result: &result)
            }
            try db.execute(
                sql: """
                    INSERT INTO message_source_file (channel_id, message_id, file_id, imported_at)
                    SELECT channel_id, id, ?, ? FROM import_stage WHERE stage = ?
                    ON CONFLICT DO NOTHING
                    """,
                arguments: [try MessageSources.fileID(channel.source, db: db), nowText, stageId])
            try db.execute(sql: "DELETE FROM import_stage WHERE stage = ?", arguments: [stage.uuidString])
            try Self.writeImportedChannel(channel, db: db)
            return result
        }
    }

    /// See ``ImportStore/importDirectly(_:)``: each message is inserted as it is read; only one the archive
    /// already holds with other JSON goes through ``ImportedMessageMerge``, exactly as in
    /// ``commitImport(stage:channel:)``.
    public func importDirectly(_ source: some ImportMessageSource) async throws -> ImportResult? {
        let nowText = ColumnDate.text(now())
        let exportedAt = source.exportedAt.map(ImportedMessageMerge.microseconds)
        // What the source throws (a malformed file) reaches the caller as it is, not as a database failure.
        let failure = ImportSourceFailure()
        do {
            return try await importDirectly(source, now: nowText, exportedAt: exportedAt, failure: failure)
        } catch {
            throw failure.error ?? error
        }
    }

    private func importDirectly(
        _ source: some ImportMessageSource, now nowText: String, exportedAt: Int64?, failure: ImportSourceFailure
    ) async throws -> ImportResult {
        guard let checkpoints = importCheckpoints else {
            return try await write("import \(source.source)") { db in
                try Self.importDirectly(source, db: db, now: nowText, exportedAt: exportedAt, failure: failure)
            }
        }
        // The checkpoint after the commit runs on a thread of its own (ImportCheckpointer), not in the commit
        // (the writer's `wal_autocheckpoint` is off for this transaction and restored after it): the WAL then
        // grows by one file per import, and is copied back behind it while the next file imports. Once it holds
        // more than `walLimit`, the import waits for that copy and finishes it before it begins, so this
        // transaction starts the WAL again from its beginning.
        let result = try await writeWithoutTransaction("import \(source.source)") { db in
            let previous = try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? 1_000
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            defer { try? db.execute(sql: "PRAGMA wal_autocheckpoint = \(previous)") }
            if Self.walBytes(of: checkpoints.path) > checkpoints.walLimit {
                checkpoints.wait()
                sqlite3_wal_checkpoint_v2(db.sqliteConnection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            }
            var result = ImportResult()
            try db.inTransaction(.immediate) {
                result = try Self.importDirectly(
                    source, db: db, now: nowText, exportedAt: exportedAt, failure: failure,
                    writeback: WALWriteback(archive: checkpoints.path))
                return .commit
            }
            return result
        }
        checkpoints.request()
        return result
    }

    /// Runs `body` on the writer outside a transaction, mapping database failures to ``ArchiveStoreError``.
    private func writeWithoutTransaction<T: Sendable>(
        _ what: String, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        do {
            return try await writer.writeWithoutTransaction { db in
                try SQLiteFailure.capturingErrno(db) { try body(db) }
            }
        } catch {
            throw SQLiteFailure.storeError(what, error, path: writer.path)
        }
    }

    /// The size of the WAL of the archive at `path` (0 when it has none).
    private static func walBytes(of path: String) -> Int {
        var status = stat()
        return stat(path + "-wal", &status) == 0 ? Int(status.st_size) : 0
    }

    /// How many new rows the direct import lets wait for the full-text index (about 1 MB of their content).
    static let importSearchRows = 16_384

    /// The direct import's transaction: see ``importDirectly(_:)``.
    private static func importDirectly(
        _ source: some ImportMessageSource, db: Database, now nowText: String, exportedAt: Int64?,
        failure: ImportSourceFailure, writeback: WALWriteback? = nil
    ) throws -> ImportResult {
        var result = ImportResult()
        var insert = try ImportedMessageInsert(db: db, now: nowText, exportedAt: exportedAt)
        let stored = try db.cachedStatement(
            sql: "SELECT json, exported_at FROM imported_message WHERE channel_id = ? AND id = ?")
        // One statement per batch and channel records the file as a source of all its messages (the ids as
        // one JSON array), instead of one row insert per message; the file's name is stored once (MessageSources).
        let recordSources = try db.cachedStatement(
            sql: """
                INSERT INTO message_source_file (channel_id, message_id, file_id, imported_at)
                SELECT ?, value, ?, ? FROM json_each(?) WHERE true
                ON CONFLICT DO NOTHING
                """)
        let fileID = try MessageSources.fileID(source.source, db: db)
        let merge = try ConflictMerge(db: db, now: nowText)
        // New rows enter the full-text index 16,384 at a time (FTS5 writes a segment per statement: the index of one
        // 250,000-message file took 1.8 CPU s in statements of 2,000 rows, 0.7 s in statements of 16,000, in
        // the sqlite3 shell), and before a merge or the file's end.
        var search = MessageSearchFeed(.imported)
        var ids: [Int64: [Int64]] = [:]
        while let batch = try failure.catching({ try source.nextBatch() }) {
            ids.removeAll(keepingCapacity: true)
            for message in batch {
                let id = message.id.columnID
                let channelId = message.channelId.columnID
                if try insert.insert(message) {
                    result.inserted += 1
                    message.json.withUnsafeBytes { bytes in
                        if let range = message.contentRange, range.lowerBound >= 0, range.upperBound <= bytes.count {
                            search.inserted(
                                db.lastInsertedRowID, content: UnsafeRawBufferPointer(rebasing: bytes[range]))
                        } else {
                            search.inserted(db.lastInsertedRowID)
                        }
                    }
                } else if let row = try Row.fetchOne(stored, arguments: [channelId, id]) {
                    let guildId = message.guildId.columnID()
                    let json = try jsonText(message.json, what: "imported message \(message.id)")
                    let old: String = row["json"]
                    if old.utf8.elementsEqual(json.utf8) {
                        result.unchanged += 1
                    } else {
                        // A replaced row is re-indexed by a trigger, which needs it indexed already.
                        try search.flush(db)
                        try merge.resolve(
                            channelId: channelId, id: id, guildId: guildId, timestamp: message.timestamp,
                            json: json, exportedAt: exportedAt, old: old, oldExported: row["exported_at"],
                            result: &result)
                    }
                }
                ids[channelId, default: []].append(id)
            }
            for (channelId, list) in ids {
                let array = "[" + list.map(String.init).joined(separator: ",") + "]"
                try recordSources.execute(arguments: [channelId, fileID, nowText, array])
            }
            try insert.fillAuthors()
            if search.count >= Self.importSearchRows { try search.flush(db) }
            writeback?.start()
        }
        try search.flush(db)
        try Self.writeImportedChannel(try failure.catching { try source.channelHeader() }, db: db)
        return result

    }

    /// Replaces the header of an imported channel.
    private static func writeImportedChannel(_ channel: ImportedChannel, db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO imported_channel (channel_id, guild_id, guild_json, channel_json, source, imported_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (channel_id) DO UPDATE SET guild_id = excluded.guild_id,
                    guild_json = excluded.guild_json, channel_json = excluded.channel_json,
                    source = excluded.source, imported_at = excluded.imported_at
                """,
            arguments: [
                channel.channelId.columnID, channel.guildId.columnID(),
                try jsonText(channel.guildJSON, what: "guild of \(channel.source)"),
                try jsonText(channel.channelJSON, what: "channel of \(channel.source)"), channel.source,
                ColumnDate.text(channel.importedAt),
            ])
    }

    /// See ``ImportStore/discardImport(stage:)``.
    public func discardImport(stage: UUID) async throws {
        try await write("discard an import") { db in
            try db.execute(sql: "DELETE FROM import_stage WHERE stage = ?", arguments: [stage.uuidString])
        }
    }

    /// See ``ImportStore/importedChannels()``.
    public func importedChannels() async throws -> [ImportedChannel] {
        try await read("list imported channels") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM imported_channel ORDER BY channel_id").map { row in
                ImportedChannel(
                    channelId: Snowflake(columnID: row["channel_id"]), guildId: row.snowflake("guild_id"),
                    guildJSON: row.jsonData("guild_json"), channelJSON: row.jsonData("channel_json"),
                    source: row["source"], importedAt: ColumnDate.date(row["imported_at"] as String))
            }
        }
    }

    /// See ``ImportStore/importedMessages(in:after:limit:)``.
    public func importedMessages(in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int)
        async throws -> [ImportedMessage]
    {
        try await importedMessages(in: channel, ids: Snowflake.ids(after: after), newestFirst: false, limit: limit)
    }

    /// See ``ImportStore/importedMessages(in:before:limit:)``.
    public func importedMessages(in channel: Snowflake<Channel>, before: Snowflake<Message>?, limit: Int)
        async throws -> [ImportedMessage]
    {
        try await importedMessages(in: channel, ids: Snowflake.ids(before: before), newestFirst: true, limit: limit)
    }

    /// Up to `limit` imported messages of `channel` with ids in `ids`, from the end nearest the cursor, in Discord's
    /// (unsigned) order: ids below 2^63, then those above (negative columns), or the reverse newest first.
    private func importedMessages(
        in channel: Snowflake<Channel>, ids: ClosedRange<Snowflake<Message>>?, newestFirst: Bool, limit: Int
    ) async throws -> [ImportedMessage] {
        try await read("read imported messages of channel \(channel)") { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT id, channel_id, guild_id, timestamp, json FROM imported_message
                    WHERE channel_id = ? AND id BETWEEN ? AND ? ORDER BY id\(newestFirst ? " DESC" : "") LIMIT ?
                    """)
            let order: IDRangeRead.Order = newestFirst ? .descending : .ascending
            return try IDRangeRead(ids, order: order, limit: limit).rows { range, wanted in
                let arguments: StatementArguments = [channel.columnID, range.lowerBound, range.upperBound, wanted]
                return try Row.fetchAll(statement, arguments: arguments).map(Self.importedMessageRecord)
            }
        }
    }

    /// See ``ImportStore/importedMessage(_:in:)``.
    public func importedMessage(_ id: Snowflake<Message>, in channel: Snowflake<Channel>) async throws
        -> ImportedMessage?
    {
        try await read("read imported message \(id) of channel \(channel)") { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT id, channel_id, guild_id, timestamp, json FROM imported_message
                    WHERE channel_id = ? AND id = ?
                    """,
                arguments: [channel.columnID, id.columnID]
            ).map(Self.importedMessageRecord)
        }
    }

    /// See ``ImportStore/importedAuthors(named:)``.
    public func importedAuthors(named name: String) async throws -> [Snowflake<User>] {
        try await read("find imported authors named \(name)") { db in
            // One index range: the (name, author id) pairs of ``ImportedMessageAuthors``, names and nicknames alike.
            try String.fetchAll(
                db, sql: "SELECT author_id FROM imported_author WHERE name = ?", arguments: [name]
            ).compactMap { Snowflake($0) }.sorted()
        }
    }

    /// An `imported_message` row (`id, channel_id, guild_id, timestamp, json`) as its record.
    static func importedMessageRecord(_ row: Row) -> ImportedMessage {
        ImportedMessage(
            id: Snowflake(columnID: row["id"]), channelId: Snowflake(columnID: row["channel_id"]),
            guildId: row.snowflake("guild_id"), timestamp: row["timestamp"], json: row.jsonData())
    }

    /// See ``ImportStore/importedRevisions(of:in:)``.
    public func importedRevisions(of message: Snowflake<Message>, in channel: Snowflake<Channel>) async throws
        -> [Data]
    {
        try await read("read the imported revisions of message \(message) of channel \(channel)") { db in
            try String.fetchAll(
                db,
                sql: "SELECT json FROM imported_revision WHERE channel_id = ? AND message_id = ? ORDER BY id",
                arguments: [channel.columnID, message.columnID]
            ).map { Data($0.utf8) }
        }
    }

    /// See ``ImportStore/messageSources(of:)``.
    public func messageSources(of message: Snowflake<Message>) async throws -> [String] {
        try await read("read the sources of message \(message)") { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT source FROM message_source WHERE message_id = ?
                    GROUP BY source ORDER BY MIN(imported_at), source
                    """,
                arguments: [message.columnID])
        }
    }

    /// See ``ImportStore/messageSources(of:in:)``.
    public func messageSources(of message: Snowflake<Message>, in channel: Snowflake<Channel>) async throws
        -> [String]
    {
        try await read("read the sources of message \(message) of channel \(channel)") { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT source FROM message_source WHERE channel_id = ? AND message_id = ?
                    ORDER BY imported_at, source
                    """,
                arguments: [channel.columnID, message.columnID])
        }
    }

    /// See ``StructureStore/member(_:in:)``.
    public func member(_ user: Snowflake<User>, in guild: Snowflake<Guild>) async throws -> Data? {
        try await read("read member \(user) of guild \(guild)") { db in
            try String.fetchOne(
                db, sql: "SELECT json FROM member WHERE guild_id = ? AND user_id = ? AND left_at IS NULL",
                arguments: [guild.columnID, user.columnID]
            ).map { Data($0.utf8) }
        }
    }
}

/// An imported message whose stored version has other JSON, decided by ``ImportedMessageMerge``: the later state
/// stays in `imported_message`, the other is kept as a revision (once).
private struct ConflictMerge {
    let replace: Statement
    let revision: Statement
    let now: String

    init(db: Database, now: String) throws {
        self.now = now
        replace = try db.cachedStatement(
            sql: """
                UPDATE imported_message SET guild_id = ?, timestamp = ?, json = ?, updated_at = ?, exported_at = ?
                WHERE channel_id = ? AND id = ?
                """)
        revision = try db.cachedStatement(
            sql: """
                INSERT INTO imported_revision (channel_id, message_id, json, exported_at, recorded_at)
                SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (
                    SELECT 1 FROM imported_revision WHERE channel_id = ? AND message_id = ? AND json = ?)
                """)
    }

    // swift-format-ignore: FunctionParameterCount
    func resolve(
        channelId: Int64, id: Int64, guildId: Int64?, timestamp: String?, json: String, exportedAt: Int64?,
        old: String, oldExported: Int64?, result: inout ImportResult
    ) throws {
        func keep(_ json: String, _ exported: Int64?) throws {
            try revision.execute(arguments: [channelId, id, json, exported, now, channelId, id, json])
        }
        let incoming = ImportedMessageMerge.Version(json: json, exportedAt: exportedAt)
        let stored = ImportedMessageMerge.Version(json: old, exportedAt: oldExported)
        switch ImportedMessageMerge.decide(stored: stored, incoming: incoming) {
        case .unchanged, .new:
            result.unchanged += 1
        case .keepStored:
            result.older += 1
            try keep(json, exportedAt)
        case .replace:
            result.updated += 1
            try keep(old, oldExported)
            try replace.execute(arguments: [guildId, timestamp, json, now, exportedAt, channelId, id])
        }
    }
}
