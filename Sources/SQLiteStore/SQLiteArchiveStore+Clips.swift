import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore: ClipStore {
    /// See ``ClipStore/recordClips(_:)``.
    public func recordClips(_ clips: [ClipRecord]) async throws {
        try await recordClips(clips, consumingMarks: [])
    }

    /// See ``ClipStore/recordClips(_:consumingMarks:)``.
    public func recordClips(_ clips: [ClipRecord], consumingMarks marks: [Int64]) async throws {
        guard !clips.isEmpty || !marks.isEmpty else { return }
        try await write("record \(clips.count) clips") { db in
            let consume = try db.cachedStatement(sql: "DELETE FROM clip_pending WHERE id = ?")
            for mark in marks { try consume.execute(arguments: [mark]) }
            for clip in clips {
                try db.execute(
                    sql: """
                        INSERT INTO clip (channel_id, message_id, url, guild_id, author_id, kind, provider,
                            attachment_id, sha256, size, path, detected_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (channel_id, message_id, url) DO UPDATE SET
                            guild_id = excluded.guild_id, author_id = excluded.author_id, kind = excluded.kind,
                            provider = excluded.provider, attachment_id = excluded.attachment_id,
                            sha256 = COALESCE(excluded.sha256, clip.sha256), size = COALESCE(excluded.size, clip.size),
                            path = COALESCE(excluded.path, clip.path)
                        """,
                    arguments: [
                        clip.channelId.columnID, clip.messageId.columnID, clip.url, clip.guildId.columnID(),
                        clip.authorId.columnID(), clip.kind, clip.provider, clip.attachmentId.columnID(), clip.sha256,
                        clip.size, clip.path, ColumnDate.text(clip.detectedAt),
                    ])
            }
        }
    }

    /// See ``ClipStore/clipBacklog(limit:)``.
    public func clipBacklog(limit: Int) async throws -> ClipBacklog {
        try await read("read the messages whose clips are not recorded yet") { db in
            var backlog = ClipBacklog(marks: [], messages: [])
            var seen: Set<[Int64]> = []
            let message = try db.cachedStatement(
                sql: "SELECT \(RecordRows.messageColumns) FROM message WHERE channel_id = ? AND id = ?")
            for mark in try Row.fetchAll(
                db, sql: "SELECT id, channel_id, message_id FROM clip_pending ORDER BY id LIMIT ?", arguments: [limit])
            {
                backlog.marks.append(mark[0])
                let key: [Int64] = [mark[1], mark[2]]
                guard seen.insert(key).inserted,
                    let row = try Row.fetchOne(message, arguments: [key[0], key[1]])
                else { continue }
                backlog.messages.append(RecordRows.message(row))
            }
            return backlog
        }
    }

    /// See ``ClipStore/clips(guild:kind:)``.
    public func clips(guild: Snowflake<Guild>?, kind: String?) async throws -> [ClipRecord] {
        try await read("list clips") { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let guild {
                conditions.append("c.guild_id = ?")
                arguments += [guild.columnID]
            }
            if let kind {
                conditions.append("c.kind = ?")
                arguments += [kind]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT c.*, COALESCE(c.sha256, a.sha256) AS file_sha256, COALESCE(c.path, a.local_path) AS file_path,
                        CASE WHEN COALESCE(c.sha256, a.sha256) IS NULL THEN a.download_error END AS file_error
                    FROM clip c LEFT JOIN attachment a ON a.id = c.attachment_id
                    \(filter) ORDER BY c.message_id < 0, c.message_id, c.channel_id, c.url
                    """, arguments: arguments
            ).map { row in
                ClipRecord(
                    messageId: Snowflake(columnID: row["message_id"]),
                    channelId: Snowflake(columnID: row["channel_id"]),
                    guildId: row.snowflake("guild_id"), authorId: row.snowflake("author_id"), kind: row["kind"],
                    provider: row["provider"], url: row["url"], attachmentId: row.snowflake("attachment_id"),
                    sha256: row["file_sha256"], size: row["size"], path: row["file_path"],
                    detectedAt: ColumnDate.date(row["detected_at"] as String), fileError: row["file_error"])
            }
        }
    }

    /// See ``ClipStore/recordClipFile(message:channel:url:sha256:size:path:)``.
    public func recordClipFile(
        message: Snowflake<Message>, channel: Snowflake<Channel>, url: String, sha256: String, size: Int,
        path: String
    ) async throws {
        try await write("record the file of a clip of message \(message)") { db in
            try db.execute(
                sql:
                    "UPDATE clip SET sha256 = ?, size = ?, path = ? WHERE channel_id = ? AND message_id = ? AND url = ?",
                arguments: [sha256, size, path, channel.columnID, message.columnID, url])
        }
    }

    /// See ``ClipStore/saveClipScan(_:)``.
    public func saveClipScan(_ run: ClipScanRun) async throws {
        let channels = ClipScanColumns.channels(run.channelIds)
        let cursors = ClipScanColumns.cursors(run.cursors)
        try await write("record clip scan \(run.id)") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO clip_scan (id, guild_id, channel_ids, since, started_at, finished_at,
                        messages_scanned, clips_found, status, error, cursors)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.id.uuidString, run.guildId.columnID(), channels, ColumnDate.text(run.since),
                    ColumnDate.text(run.startedAt), ColumnDate.text(run.finishedAt), run.messagesScanned,
                    run.clipsFound, run.status.rawValue, run.error, cursors,
                ])
        }
    }

    /// See ``ClipStore/clipScans(limit:)``.
    public func clipScans(limit: Int) async throws -> [ClipScanRun] {
        try await read("list clip scans") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM clip_scan ORDER BY started_at DESC, rowid DESC LIMIT ?", arguments: [limit]
            ).map { row in
                ClipScanRun(
                    id: UUID(uuidString: row["id"]) ?? UUID(), guildId: row.snowflake("guild_id"),
                    channelIds: ClipScanColumns.channels(row["channel_ids"] as String),
                    since: ColumnDate.date(row["since"] as String?),
                    startedAt: ColumnDate.date(row["started_at"] as String),
                    finishedAt: ColumnDate.date(row["finished_at"] as String?),
                    messagesScanned: row["messages_scanned"],
                    clipsFound: row["clips_found"],
                    status: ClipScanRun.Status(rawValue: row["status"]) ?? .failed, error: row["error"],
                    cursors: ClipScanColumns.cursors(row["cursors"] as String))
            }
        }
    }
}
