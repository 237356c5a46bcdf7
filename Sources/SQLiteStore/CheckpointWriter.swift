import ArchiveStore
import DiscordModels
import Foundation
import GRDB

/// Writes and reads checkpoints and segments.
enum CheckpointWriter {
    /// The upsert of a channel's checkpoint row.
    static let checkpointSQL = """
        INSERT INTO channel_checkpoint (channel_id, guild_id, backfill_complete, oldest_archived_id,
            newest_archived_id, backfill_cursor, last_sync_at, last_recheck_at, recheck_cursor, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (channel_id) DO UPDATE SET guild_id = COALESCE(excluded.guild_id, guild_id),
            backfill_complete = excluded.backfill_complete,
            oldest_archived_id = excluded.oldest_archived_id,
            newest_archived_id = excluded.newest_archived_id, backfill_cursor = excluded.backfill_cursor,
            last_sync_at = excluded.last_sync_at, last_recheck_at = excluded.last_recheck_at,
            recheck_cursor = excluded.recheck_cursor, updated_at = excluded.updated_at
        """

    /// Saves `checkpoint` through `statement`, a ``checkpointSQL`` held by the caller (the message writer saves one
    /// per page), `nowText` as its `updated_at`.
    static func save(_ checkpoint: ChannelCheckpoint, through statement: BoundStatement, nowText: String) throws {
        statement.bind(checkpoint.channelId.columnID, at: 1)
        statement.bind(checkpoint.guildId?.columnID, at: 2)
        statement.bind(checkpoint.backfillComplete, at: 3)
        statement.bind(checkpoint.oldestArchivedId?.columnID, at: 4)
        statement.bind(checkpoint.newestArchivedId?.columnID, at: 5)
        statement.bind(checkpoint.backfillCursor?.columnID, at: 6)
        statement.bind(text: ColumnDate.text(checkpoint.lastSyncAt), at: 7)
        statement.bind(text: ColumnDate.text(checkpoint.lastRecheckAt), at: 8)
        statement.bind(checkpoint.recheckCursor?.columnID, at: 9)
        statement.bind(text: nowText, at: 10)
        try statement.execute()
    }

    /// Saves `checkpoint` at `now` (one row, outside the message writer's held statements).
    static func save(_ checkpoint: ChannelCheckpoint, db: Database, now: Date) throws {
        try save(checkpoint, through: BoundStatement(db, sql: checkpointSQL), nowText: ColumnDate.text(now))
    }

    /// The upsert of a segment's row.
    static let segmentSQL = """
        INSERT INTO channel_segment (channel_id, low, high, cursor, done, updated_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (channel_id, low) DO UPDATE SET high = excluded.high, cursor = excluded.cursor,
            done = excluded.done, updated_at = excluded.updated_at
        """

    /// Saves `segment` through `statement`, a ``segmentSQL`` held by the caller (the message writer saves one per
    /// page), `nowText` as its `updated_at`.
    static func save(_ segment: ChannelSegment, through statement: BoundStatement, nowText: String) throws {
        statement.bind(segment.channelId.columnID, at: 1)
        statement.bind(segment.low.columnID, at: 2)
        statement.bind(segment.high.columnID, at: 3)
        statement.bind(segment.cursor?.columnID, at: 4)
        statement.bind(segment.done, at: 5)
        statement.bind(text: nowText, at: 6)
        try statement.execute()
    }

    /// Saves `segments` at `now` (outside the message writer's held statements).
    static func save(_ segments: [ChannelSegment], db: Database, now: Date) throws {
        let statement = try BoundStatement(db, sql: segmentSQL)
        let nowText = ColumnDate.text(now)
        for segment in segments { try save(segment, through: statement, nowText: nowText) }
    }

    static func checkpoint(_ row: Row) -> ChannelCheckpoint {
        ChannelCheckpoint(
            channelId: Snowflake(columnID: row["channel_id"]), guildId: row.snowflake("guild_id"),
            backfillComplete: row["backfill_complete"], oldestArchivedId: row.snowflake("oldest_archived_id"),
            newestArchivedId: row.snowflake("newest_archived_id"), backfillCursor: row.snowflake("backfill_cursor"),
            lastSyncAt: ColumnDate.date(row["last_sync_at"] as String?),
            lastRecheckAt: ColumnDate.date(row["last_recheck_at"] as String?),
            recheckCursor: row.snowflake("recheck_cursor"))
    }

    static func segment(_ row: Row) -> ChannelSegment {
        ChannelSegment(
            channelId: Snowflake(columnID: row["channel_id"]), low: Snowflake(columnID: row["low"]),
            high: Snowflake(columnID: row["high"]), cursor: row.snowflake("cursor"), done: row["done"])
    }
}
