import ArchiveStore
import DiscordModels
import Foundation
import Logging
import PostgresNIO

/// Writes and reads checkpoints and segments.
enum PostgresCheckpointWriter {
    static func save(
        _ checkpoint: ChannelCheckpoint, connection: PostgresConnection, logger: Logger, nowText: String
    ) async throws {
        _ = try await connection.execute(
            SaveCheckpoint(
                channelId: checkpoint.channelId.columnID, guildId: checkpoint.guildId.columnID(),
                backfillComplete: checkpoint.backfillComplete, oldestArchivedId: checkpoint.oldestArchivedId.columnID(),
                newestArchivedId: checkpoint.newestArchivedId.columnID(),
                backfillCursor: checkpoint.backfillCursor.columnID(),
                lastSyncAt: ColumnDate.text(checkpoint.lastSyncAt),
                lastRecheckAt: ColumnDate.text(checkpoint.lastRecheckAt),
                recheckCursor: checkpoint.recheckCursor.columnID(), nowText: nowText),
            logger: logger)
    }

    static func save(
        _ segments: [ChannelSegment], connection: PostgresConnection, logger: Logger, nowText: String
    ) async throws {
        for segment in segments {
            _ = try await connection.execute(
                SaveSegment(
                    channelId: segment.channelId.columnID, low: segment.low.columnID, high: segment.high.columnID,
                    cursor: segment.cursor.columnID(), done: segment.done, nowText: nowText),
                logger: logger)
        }
    }

    static let checkpointColumns = """
        channel_id, guild_id, backfill_complete, oldest_archived_id, newest_archived_id, backfill_cursor,
        last_sync_at, last_recheck_at, recheck_cursor
        """

    static func checkpoint(_ row: PostgresRow) throws -> ChannelCheckpoint {
        let row = row.makeRandomAccess()
        return ChannelCheckpoint(
            channelId: try row.id("channel_id"), guildId: try row.snowflake("guild_id"),
            backfillComplete: try row.get("backfill_complete"),
            oldestArchivedId: try row.snowflake("oldest_archived_id"),
            newestArchivedId: try row.snowflake("newest_archived_id"),
            backfillCursor: try row.snowflake("backfill_cursor"), lastSyncAt: try row.optionalDate("last_sync_at"),
            lastRecheckAt: try row.optionalDate("last_recheck_at"), recheckCursor: try row.snowflake("recheck_cursor"))
    }

    static func segment(_ row: PostgresRow) throws -> ChannelSegment {
        let row = row.makeRandomAccess()
        return ChannelSegment(
            channelId: try row.id("channel_id"), low: try row.id("low"), high: try row.id("high"),
            cursor: try row.snowflake("cursor"), done: try row.get("done"))
    }
}
