import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore: LiveCaptureStore {
    /// See ``LiveCaptureStore/storeLiveBatch(_:)``.
    public func storeLiveBatch(_ batch: LiveBatch) async throws -> LiveBatchResult {
        let now = self.now()
        return try await writeMessages("store \(batch.pages.count) live pages and the gateway session") { db in
            var result = LiveBatchResult()
            var messages = MessageWriter(db: db, now: now)
            for page in batch.pages {
                let stored = try messages.store(page)
                result.inserted += stored.inserted
                result.edited += stored.edited
            }
            if batch.marksClips {
                let mark = try db.cachedStatement(
                    sql: "INSERT INTO clip_pending (channel_id, message_id) VALUES (?, ?)")
                for page in batch.pages {
                    for message in page.messages {
                        try mark.execute(arguments: [page.channelId.columnID, message.id.columnID])
                    }
                }
            }
            let nowText = ColumnDate.text(now)
            if !batch.channels.isEmpty || !batch.objects.isEmpty {
                _ = try ObjectWriter(db: db, nowText: nowText).execute(
                    ObjectWriteStep.channelWrites(batch.channels) + batch.objects)
            }
            let tombstone = try db.cachedStatement(
                sql: """
                    UPDATE message SET deleted_at = ?, deletion_source = 'live'
                    WHERE id = ? AND channel_id = ? AND deleted_at IS NULL
                    """)
            for deletion in batch.deletions {
                for id in deletion.messageIds {
                    try tombstone.execute(
                        arguments: [ColumnDate.text(deletion.at), id.columnID, deletion.channelId.columnID])
                    result.deleted += db.changesCount
                }
            }
            for channel in batch.deletedChannels {
                try db.execute(
                    sql: "UPDATE channel SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                    arguments: [nowText, channel.columnID])
            }
            for pins in batch.pins {
                try db.execute(
                    sql: "UPDATE message SET pinned_at = NULL WHERE channel_id = ? AND pinned_at IS NOT NULL",
                    arguments: [pins.channelId.columnID])
                for (message, pinnedAt) in pins.pinnedAt {
                    try db.execute(
                        sql: "UPDATE message SET pinned_at = ? WHERE channel_id = ? AND id = ?",
                        arguments: [pinnedAt, pins.channelId.columnID, message.columnID])
                }
            }
            try MemberWriter.apply(batch.members, at: batch.at, db: db)
            for guild in batch.leftGuilds {
                try db.execute(
                    sql: "INSERT INTO guild_left (guild_id, left_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    arguments: [guild.columnID, ColumnDate.text(batch.at)])
            }
            for guild in batch.joinedGuilds {
                try db.execute(sql: "DELETE FROM guild_left WHERE guild_id = ?", arguments: [guild.columnID])
            }
            if let session = batch.session {
                try db.execute(
                    sql: """
                        INSERT INTO gateway_session (key, session_id, sequence, resume_url, updated_at)
                        VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (key) DO UPDATE SET session_id = excluded.session_id,
                            sequence = excluded.sequence, resume_url = excluded.resume_url,
                            updated_at = excluded.updated_at
                        """,
                    arguments: [
                        session.key, session.sessionId, session.sequence, session.resumeURL,
                        ColumnDate.text(session.updatedAt),
                    ])
            }
            return result
        }
    }

    /// See ``LiveCaptureStore/gatewaySession(_:)``.
    public func gatewaySession(_ key: String) async throws -> GatewaySessionRecord? {
        try await read("read the gateway session \(key)") { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM gateway_session WHERE key = ?", arguments: [key])
            else { return nil }
            return GatewaySessionRecord(
                key: row["key"], sessionId: row["session_id"], sequence: row["sequence"],
                resumeURL: row["resume_url"], updatedAt: ColumnDate.date(row["updated_at"] as String))
        }
    }

    /// See ``LiveCaptureStore/deletionSource(of:in:)``.
    public func deletionSource(of message: Snowflake<Message>, in channel: Snowflake<Channel>) async throws
        -> DeletionSource?
    {
        try await read("read the deletion of message \(message)") { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT deleted_at, deletion_source FROM message WHERE id = ? AND channel_id = ?",
                    arguments: [message.columnID, channel.columnID]),
                (row["deleted_at"] as String?) != nil
            else { return nil }
            return (row["deletion_source"] as String?) == "live" ? .live : .inferred
        }
    }

    /// See ``MessageBrowsing/pinTimes(in:)``.
    public func pinTimes(in channel: Snowflake<Channel>) async throws -> [Snowflake<Message>: String] {
        try await read("read the pin times of channel \(channel)") { db in
            var result: [Snowflake<Message>: String] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT id, pinned_at FROM message WHERE channel_id = ? AND pinned_at IS NOT NULL",
                arguments: [channel.columnID])
            {
                result[Snowflake(columnID: row["id"] as Int64)] = row["pinned_at"]
            }
            return result
        }
    }

    /// See ``LiveCaptureStore/leftGuilds()``.
    public func leftGuilds() async throws -> [Snowflake<Guild>: Date] {
        try await read("read the guilds left") { db in
            var result: [Snowflake<Guild>: Date] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT guild_id, left_at FROM guild_left") {
                let leftAt: String = row["left_at"]
                result[Snowflake(columnID: row["guild_id"])] = ColumnDate.date(leftAt)
            }
            return result
        }
    }
}
