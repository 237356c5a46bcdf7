import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

extension PostgresArchiveStore {
    /// See ``MessageStore/storeMessagePage(_:)``.
    @discardableResult
    public func storeMessagePage(_ page: MessagePage) async throws -> MessagePageResult {
        let nowText = ColumnDate.text(now())
        return try await write("store a page of channel \(page.channelId)") { connection in
            // Pages of one channel (parallel segments, a refreshed attachment URL) commit one after the other, as
            // they do in SQLite: two transactions must not both find a message missing and both insert it. A
            // message belongs to one channel, so pages of different channels never wait for each other.
            _ = try await connection.execute(LockChannels(channels: [page.channelId.columnID]), logger: self.logger)
            return try await PostgresMessageWriter(connection: connection, logger: self.logger, nowText: nowText).store(
                page)
        }
    }

    /// See ``MessageStore/storeMessagePages(_:)``.
    @discardableResult
    public func storeMessagePages(_ pages: [MessagePage]) async throws -> [MessagePageResult] {
        guard !pages.isEmpty else { return [] }
        let nowText = ColumnDate.text(now())
        let what =
            pages.count == 1 ? "store a page of channel \(pages[0].channelId)" : "store a group of \(pages.count) pages"
        return try await write(what) { connection in
            // The per-channel locks of storeMessagePage, taken in id order so two writers never deadlock.
            let channels = Set(pages.map(\.channelId.columnID)).sorted()
            _ = try await connection.execute(LockChannels(channels: channels), logger: self.logger)
            return try await PostgresMessageWriter(connection: connection, logger: self.logger, nowText: nowText).store(
                pages)
        }
    }

    /// Mark messages deleted.
    public func markMessagesDeleted(
        _ ids: [Snowflake<Message>], in channel: Snowflake<DiscordModels.Channel>, at date: Date,
        checkpoint: ChannelCheckpoint?
    ) async throws -> Int {
        if let checkpoint, checkpoint.channelId != channel {
            throw ArchiveStoreError.invalidPage(
                "checkpoint of channel \(checkpoint.channelId) given with deletions in channel \(channel)")
        }
        let nowText = ColumnDate.text(now())
        return try await write("mark messages of channel \(channel) deleted") { connection in
            var count = 0
            if !ids.isEmpty {
                count = try await connection.query(
                    """
                    UPDATE message SET deleted_at = \(ColumnDate.text(date))
                    WHERE id = ANY(\(ids.map(\.columnID))::bigint[]) AND channel_id = \(channel.columnID)
                        AND deleted_at IS NULL
                    RETURNING id
                    """, logger: self.logger
                ).collect().count
            }
            if let checkpoint {
                try await PostgresCheckpointWriter.save(
                    checkpoint, connection: connection, logger: self.logger, nowText: nowText)
            }
            return count
        }
    }

    /// Store reaction users.
    public func storeReactionUsers(
        _ users: [Decoded<User>], message: Snowflake<Message>, in channel: Snowflake<DiscordModels.Channel>,
        emojiKey: String, burst: Bool, observedAt: Date
    ) async throws {
        try await write("store reaction users of message \(message) of channel \(channel)") { connection in
            let found = try await connection.query(
                "SELECT 1 FROM message WHERE channel_id = \(channel.columnID) AND id = \(message.columnID)",
                logger: self.logger
            ).collect()
            guard !found.isEmpty else {
                throw ArchiveStoreError.invalidPage(
                    "reaction users of message \(message) of channel \(channel), which the archive does not have")
            }
            try await PostgresUserWriter(connection: connection, logger: self.logger).upsert(users, at: observedAt)
            guard !users.isEmpty else { return }
            try await connection.query(
                """
                INSERT INTO reaction_user (channel_id, message_id, emoji_key, burst, user_id)
                SELECT \(channel.columnID), \(message.columnID), \(pgText(emojiKey)), \(burst), user_id
                FROM unnest(\(users.map(\.value.id.columnID))::bigint[]) AS t(user_id)
                ON CONFLICT DO NOTHING
                """, logger: self.logger)
        }
    }
}
