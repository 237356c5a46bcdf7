import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

extension PostgresArchiveStore: ClipStore {
    /// See ``ClipStore/recordClips(_:)``.
    public func recordClips(_ clips: [ClipRecord]) async throws {
        try await recordClips(clips, consumingMarks: [])
    }

    /// See ``ClipStore/recordClips(_:consumingMarks:)``.
    public func recordClips(_ clips: [ClipRecord], consumingMarks marks: [Int64]) async throws {
        guard !clips.isEmpty || !marks.isEmpty else { return }
        try await write("record \(clips.count) clips") { connection in
            if !marks.isEmpty {
                try await connection.query(
                    "DELETE FROM clip_pending WHERE id = ANY(\(marks)::bigint[])", logger: self.logger)
            }
            for clip in clips {
                try await connection.query(
                    """
                    INSERT INTO clip (channel_id, message_id, url, guild_id, author_id, kind, provider, attachment_id,
                        sha256, size, path, detected_at)
                    VALUES (\(clip.channelId.columnID), \(clip.messageId.columnID), \(pgText(clip.url)),
                        \(clip.guildId.columnID()), \(clip.authorId.columnID()), \(clip.kind), \(clip.provider),
                        \(clip.attachmentId.columnID()), \(clip.sha256), \(clip.size.map(Int64.init)), \(clip.path),
                        \(ColumnDate.text(clip.detectedAt)))
                    ON CONFLICT (channel_id, message_id, url) DO UPDATE SET
                        guild_id = excluded.guild_id, author_id = excluded.author_id, kind = excluded.kind,
                        provider = excluded.provider, attachment_id = excluded.attachment_id,
                        sha256 = COALESCE(excluded.sha256, clip.sha256), size = COALESCE(excluded.size, clip.size),
                        path = COALESCE(excluded.path, clip.path)
                    """, logger: self.logger)
            }
        }
    }

    /// See ``ClipStore/clipBacklog(limit:)``.
    public func clipBacklog(limit: Int) async throws -> ClipBacklog {
        try await read("read the messages whose clips are not recorded yet") { connection in
            var marks: [Int64] = []
            for try await mark in try await connection.query(
                "SELECT id FROM clip_pending ORDER BY id LIMIT \(Int64(limit))", logger: self.logger
            ).decode(Int64.self) {
                marks.append(mark)
            }
            guard !marks.isEmpty else { return ClipBacklog(marks: [], messages: []) }
            // Read after the marks: a message edited since is read as it is now, which is at least as new.
            let messages = try await connection.query(
                """
                SELECT \(unescaped: PostgresRecordRows.messageColumns(alias: "m")) FROM message m
                JOIN (SELECT DISTINCT channel_id, message_id FROM clip_pending WHERE id = ANY(\(marks)::bigint[])) p
                    ON m.channel_id = p.channel_id AND m.id = p.message_id
                ORDER BY m.channel_id, m.id
                """, logger: self.logger
            ).collect().map(PostgresRecordRows.message)
            return ClipBacklog(marks: marks, messages: messages)
        }
    }

    /// See ``ClipStore/clips(guild:kind:)``.
    public func clips(guild: Snowflake<Guild>?, kind: String?) async throws -> [ClipRecord] {
        try await read("list clips") { connection in
            let rows = try await connection.query(
                """
                SELECT c.message_id, c.channel_id, c.guild_id, c.author_id, c.kind, c.provider, c.url,
                    c.attachment_id, COALESCE(c.sha256, a.sha256), c.size, COALESCE(c.path, a.local_path),
                    c.detected_at, CASE WHEN COALESCE(c.sha256, a.sha256) IS NULL THEN a.download_error END
                FROM clip c LEFT JOIN attachment a ON a.id = c.attachment_id
                WHERE (\(guild.columnID())::bigint IS NULL OR c.guild_id = \(guild.columnID()))
                    AND (\(kind)::text IS NULL OR c.kind = \(kind))
                ORDER BY c.message_id < 0, c.message_id, c.channel_id, c.url
                """, logger: self.logger)
            var result: [ClipRecord] = []
            for try await (
                message, channel, guildId, author, kind, provider, url, attachment, sha, size, path, at, fileError
            )
                in rows.decode(
                    (
                        Int64, Int64, Int64?, Int64?, String, String, String, Int64?, String?, Int64?, String?,
                        String, String?
                    ).self)
            {
                result.append(
                    ClipRecord(
                        messageId: Snowflake(columnID: message), channelId: Snowflake(columnID: channel),
                        guildId: guildId.map { Snowflake(columnID: $0) },
                        authorId: author.map { Snowflake(columnID: $0) },
                        kind: kind, provider: provider, url: url,
                        attachmentId: attachment.map { Snowflake(columnID: $0) }, sha256: sha, size: size.map(Int.init),
                        path: path, detectedAt: ColumnDate.date(at), fileError: fileError))
            }
            return result
        }
    }

    /// See ``ClipStore/recordClipFile(message:channel:url:sha256:size:path:)``.
    public func recordClipFile(
        message: Snowflake<Message>, channel: Snowflake<DiscordModels.Channel>, url: String, sha256: String, size: Int,
        path: String
    ) async throws {
        try await write("record the file of a clip of message \(message)") { connection in
            try await connection.query(
                """
                UPDATE clip SET sha256 = \(sha256), size = \(Int64(size)), path = \(path)
                WHERE channel_id = \(channel.columnID) AND message_id = \(message.columnID) AND url = \(pgText(url))
                """, logger: self.logger)
        }
    }

    /// See ``ClipStore/saveClipScan(_:)``.
    public func saveClipScan(_ run: ClipScanRun) async throws {
        let channels = ClipScanColumns.channels(run.channelIds)
        let cursors = ClipScanColumns.cursors(run.cursors)
        try await write("record clip scan \(run.id)") { connection in
            try await connection.query(
                """
                INSERT INTO clip_scan (id, guild_id, channel_ids, since, started_at, finished_at, messages_scanned,
                    clips_found, status, error, cursors)
                VALUES (\(run.id.uuidString), \(run.guildId.columnID()), \(channels), \(ColumnDate.text(run.since)),
                    \(ColumnDate.text(run.startedAt)), \(ColumnDate.text(run.finishedAt)),
                    \(Int64(run.messagesScanned)), \(Int64(run.clipsFound)), \(run.status.rawValue),
                    \(run.error.map(pgText)), \(cursors))
                ON CONFLICT (id) DO UPDATE SET finished_at = excluded.finished_at,
                    messages_scanned = excluded.messages_scanned, clips_found = excluded.clips_found,
                    status = excluded.status, error = excluded.error, cursors = excluded.cursors
                """, logger: self.logger)
        }
    }

    /// See ``ClipStore/clipScans(limit:)``.
    public func clipScans(limit: Int) async throws -> [ClipScanRun] {
        try await read("list clip scans") { connection in
            let rows = try await connection.query(
                """
                SELECT id, guild_id, channel_ids, since, started_at, finished_at, messages_scanned, clips_found,
                    status, error, cursors
                FROM clip_scan ORDER BY started_at DESC, seq DESC LIMIT \(Int64(limit))
                """, logger: self.logger)
            var result: [ClipScanRun] = []
            for try await (id, guild, channels, since, started, finished, messages, clips, status, error, cursors)
                in rows.decode(
                    (String, Int64?, String, String?, String, String?, Int64, Int64, String, String?, String).self)
            {
                result.append(
                    ClipScanRun(
                        id: UUID(uuidString: id) ?? UUID(), guildId: guild.map { Snowflake(columnID: $0) },
                        channelIds: ClipScanColumns.channels(channels), since: ColumnDate.date(since),
                        startedAt: ColumnDate.date(started), finishedAt: ColumnDate.date(finished),
                        messagesScanned: Int(messages), clipsFound: Int(clips),
                        status: ClipScanRun.Status(rawValue: status) ?? .failed, error: error,
                        cursors: ClipScanColumns.cursors(cursors)))
            }
            return result
        }
    }
}
