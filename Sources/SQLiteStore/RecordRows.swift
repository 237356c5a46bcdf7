import ArchiveStore
import DiscordModels
import Foundation
import GRDB

/// Builds the backend-neutral records from SQLite rows.
enum RecordRows {
    /// The columns ``message(_:)`` reads, of the table `message` (`FROM message`, no alias).
    static let messageColumns = messageColumns(of: "message")

    /// The columns ``message(_:)`` reads, of the message table named or aliased `table`; the JSON is the one
    /// Discord sent (see ``MessageAuthors/json(of:)``).
    static func messageColumns(of table: String) -> String {
        let names = [
            "id", "channel_id", "guild_id", "author_id", "timestamp", "edited_timestamp", "type", "flags", "content",
            "pinned", "reference_message_id", "reference_channel_id", "reference_guild_id", "json", "archived_at",
            "updated_at", "deleted_at", "revision_count",
        ]
        return names.map { $0 == "json" ? MessageAuthors.json(of: table) : "\(table).\($0)" }.joined(separator: ", ")
    }

    /// A message from a row of ``messageColumns``, read by position (in their order): looking 18 columns up by
    /// name cost a quarter of an export's CPU.
    static func message(_ row: Row) -> StoredMessage {
        func snowflake<Tag>(_ index: Int) -> Snowflake<Tag>? { (row[index] as Int64?).map { Snowflake(columnID: $0) } }
        return StoredMessage(
            id: Snowflake(columnID: row[0]), channelId: Snowflake(columnID: row[1]),
            guildId: snowflake(2), authorId: snowflake(3),
            timestamp: DiscordTimestamp(rawValue: row[4]),
            editedTimestamp: (row[5] as String?).map(DiscordTimestamp.init(rawValue:)),
            type: MessageType(rawValue: row[6]), flags: row[7], content: row[8],
            pinned: row[9], referencedMessageId: snowflake(10),
            referencedChannelId: snowflake(11),
            referencedGuildId: snowflake(12), json: Data((row[13] as String? ?? "").utf8),
            archivedAt: ColumnDate.date(row[14] as String),
            updatedAt: ColumnDate.date(row[15] as String),
            deletedAt: ColumnDate.date(row[16] as String?), revisionCount: row[17])
    }

    static let channelColumns = """
        id, guild_id, parent_id, type, name, position, is_thread, thread_archived, thread_locked,
        thread_archive_timestamp, json, first_seen_at, updated_at, deleted_at
        """

    static func channel(_ row: Row) -> StoredChannel {
        StoredChannel(
            id: Snowflake(columnID: row["id"]), guildId: row.snowflake("guild_id"),
            parentId: row.snowflake("parent_id"),
            type: ChannelType(rawValue: row["type"]), name: row["name"], position: row["position"],
            isThread: row["is_thread"], threadArchived: row["thread_archived"], threadLocked: row["thread_locked"],
            threadArchiveTimestamp: (row["thread_archive_timestamp"] as String?).map(DiscordTimestamp.init(rawValue:)),
            json: row.jsonData(), firstSeenAt: ColumnDate.date(row["first_seen_at"] as String),
            updatedAt: ColumnDate.date(row["updated_at"] as String),
            deletedAt: ColumnDate.date(row["deleted_at"] as String?))
    }

    static let attachmentColumns = """
        id, message_id, channel_id, filename, size, content_type, url, proxy_url, sha256, local_path, downloaded_at,
        download_error, failed_attempts
        """

    static func attachment(_ row: Row) -> StoredAttachment {
        StoredAttachment(
            id: Snowflake(columnID: row["id"]), messageId: Snowflake(columnID: row["message_id"]),
            channelId: Snowflake(columnID: row["channel_id"]), filename: row["filename"], size: row["size"],
            contentType: row["content_type"], url: row["url"], proxyURL: row["proxy_url"], sha256: row["sha256"],
            localPath: row["local_path"], downloadedAt: ColumnDate.date(row["downloaded_at"] as String?),
            downloadError: row["download_error"], failedAttempts: row["failed_attempts"])
    }

    static func object(_ kind: ObjectKind, _ row: Row) -> StoredObject {
        StoredObject(
            kind: kind, id: AnySnowflake(columnID: row["id"]), guildId: row.snowflake("guild_id"), json: row.jsonData(),
            firstSeenAt: ColumnDate.date(row["first_seen_at"] as String),
            updatedAt: ColumnDate.date(row["updated_at"] as String),
            deletedAt: ColumnDate.date(row["deleted_at"] as String?))
    }

    /// The columns of ``object(_:_:)`` for a kind's table (users have no guild and no tombstone).
    static func objectColumns(_ kind: ObjectKind) -> String {
        kind == .user
            ? "id, NULL AS guild_id, json, first_seen_at, updated_at, NULL AS deleted_at"
            : kind == .guild
                ? "id, id AS guild_id, json, first_seen_at, updated_at, deleted_at"
                : "id, guild_id, json, first_seen_at, updated_at, deleted_at"
    }
}
