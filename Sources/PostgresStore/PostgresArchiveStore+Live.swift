import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

extension PostgresArchiveStore: LiveCaptureStore {
    /// See ``LiveCaptureStore/storeLiveBatch(_:)``.
    public func storeLiveBatch(_ batch: LiveBatch) async throws -> LiveBatchResult {
        let nowText = ColumnDate.text(now())
        return try await write("store \(batch.pages.count) live pages and the gateway session") { connection in
            var result = LiveBatchResult()
            // The same per-channel locks as storeMessagePage, taken in id order so two writers never deadlock.
            let channels = Set(
                batch.pages.map(\.channelId) + batch.deletions.map(\.channelId) + batch.pins.map(\.channelId)
            ).sorted()
            _ = try await connection.execute(
                LockChannels(channels: channels.map(\.columnID)), logger: self.logger)
            let messages = PostgresMessageWriter(connection: connection, logger: self.logger, nowText: nowText)
            for page in batch.pages {
                let stored = try await messages.store(page)
                result.inserted += stored.inserted
                result.edited += stored.edited
            }
            let marked =
                batch.marksClips ? batch.pages.flatMap { page in page.messages.map { (page.channelId, $0.id) } } : []
            if !marked.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO clip_pending (channel_id, message_id)
                    SELECT * FROM unnest(\(marked.map(\.0.columnID))::bigint[], \(marked.map(\.1.columnID))::bigint[])
                    """, logger: self.logger)
            }
            if !batch.channels.isEmpty || !batch.objects.isEmpty {
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(\(Self.structureLockKey))", logger: self.logger)
                _ = try await PostgresObjectWriter(connection: connection, logger: self.logger, nowText: nowText)
                    .execute(ObjectWriteStep.channelWrites(batch.channels) + batch.objects)
            }
            for deletion in batch.deletions where !deletion.messageIds.isEmpty {
                result.deleted += try await connection.query(
                    """
                    UPDATE message SET deleted_at = \(ColumnDate.text(deletion.at)), deletion_source = 'live'
                    WHERE id = ANY(\(deletion.messageIds.map(\.columnID))::bigint[])
                        AND channel_id = \(deletion.channelId.columnID) AND deleted_at IS NULL
                    RETURNING id
                    """, logger: self.logger
                ).collect().count
            }
            for channel in batch.deletedChannels {
                try await connection.query(
                    "UPDATE channel SET deleted_at = \(nowText) WHERE id = \(channel.columnID) AND deleted_at IS NULL",
                    logger: self.logger)
            }
            for pins in batch.pins {
                try await connection.query(
                    """
                    UPDATE message SET pinned_at = NULL
                    WHERE channel_id = \(pins.channelId.columnID) AND pinned_at IS NOT NULL
                    """, logger: self.logger)
                for (message, pinnedAt) in pins.pinnedAt {
                    try await connection.query(
                        """
                        UPDATE message SET pinned_at = \(pinnedAt)
                        WHERE channel_id = \(pins.channelId.columnID) AND id = \(message.columnID)
                        """, logger: self.logger)
                }
            }
            try await PostgresMemberWriter(connection: connection, logger: self.logger).apply(
                batch.members, at: batch.at)
            for guild in batch.leftGuilds {
                try await connection.query(
                    """
                    INSERT INTO guild_left (guild_id, left_at) VALUES (\(guild.columnID), \(ColumnDate.text(batch.at)))
                    ON CONFLICT DO NOTHING
                    """, logger: self.logger)
            }
            for guild in batch.joinedGuilds {
                try await connection.query(
                    "DELETE FROM guild_left WHERE guild_id = \(guild.columnID)", logger: self.logger)
            }
            if let session = batch.session {
                try await connection.query(
                    """
                    INSERT INTO gateway_session (key, session_id, sequence, resume_url, updated_at)
                    VALUES (\(session.key), \(session.sessionId), \(Int64(session.sequence)), \(session.resumeURL),
                        \(ColumnDate.text(session.updatedAt)))
                    ON CONFLICT (key) DO UPDATE SET session_id = excluded.session_id, sequence = excluded.sequence,
                        resume_url = excluded.resume_url, updated_at = excluded.updated_at
                    """, logger: self.logger)
            }
            return result
        }
    }

    /// See ``LiveCaptureStore/gatewaySession(_:)``.
    public func gatewaySession(_ key: String) async throws -> GatewaySessionRecord? {
        try await read("read the gateway session \(key)") { connection in
            let rows = try await connection.query(
                "SELECT session_id, sequence, resume_url, updated_at FROM gateway_session WHERE key = \(key)",
                logger: self.logger
            ).collect()
            guard let row = rows.first else { return nil }
            let (sessionId, sequence, resumeURL, updatedAt) = try row.decode((String, Int64, String, String).self)
            return GatewaySessionRecord(
                key: key, sessionId: sessionId, sequence: Int(sequence), resumeURL: resumeURL,
                updatedAt: ColumnDate.date(updatedAt))
        }
    }

    /// See ``LiveCaptureStore/deletionSource(of:in:)``.
    public func deletionSource(
        of message: Snowflake<Message>, in channel: Snowflake<DiscordModels.Channel>
    ) async throws -> DeletionSource? {
        try await read("read the deletion of message \(message)") { connection in
            let rows = try await connection.query(
                """
                SELECT deleted_at, deletion_source FROM message
                WHERE id = \(message.columnID) AND channel_id = \(channel.columnID)
                """, logger: self.logger
            ).collect()
            guard let row = rows.first else { return nil }
            let (deletedAt, source) = try row.decode((String?, String?).self)
            guard deletedAt != nil else { return nil }
            return source == "live" ? .live : .inferred
        }
    }

    /// See ``MessageBrowsing/pinTimes(in:)``.
    public func pinTimes(in channel: Snowflake<DiscordModels.Channel>) async throws -> [Snowflake<Message>: String] {
        try await read("read the pin times of channel \(channel)") { connection in
            var result: [Snowflake<Message>: String] = [:]
            for row in try await connection.query(
                "SELECT id, pinned_at FROM message WHERE channel_id = \(channel.columnID) AND pinned_at IS NOT NULL",
                logger: self.logger
            ).collect() {
                let (id, pinnedAt) = try row.decode((Int64, String).self)
                result[Snowflake(columnID: id)] = pinnedAt
            }
            return result
        }
    }

    /// See ``LiveCaptureStore/leftGuilds()``.
    public func leftGuilds() async throws -> [Snowflake<Guild>: Date] {
        try await read("read the guilds left") { connection in
            var result: [Snowflake<Guild>: Date] = [:]
            for row in try await connection.query("SELECT guild_id, left_at FROM guild_left", logger: self.logger)
                .collect()
            {
                let (guild, at) = try row.decode((Int64, String).self)
                let leftAt: Date = ColumnDate.date(at)
                result[Snowflake(columnID: guild)] = leftAt
            }
            return result
        }
    }
}
