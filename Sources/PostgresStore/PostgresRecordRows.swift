import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

/// Builds the backend-neutral records from PostgreSQL rows.
enum PostgresRecordRows {
    /// The columns of ``message(_:)`` from the `message` table (not aliased): the JSON exactly as sent, its author
    /// object put back (see ``PostgresMessageAuthors``).
    static let messageColumns = messageColumns(alias: "message")

    /// ``messageColumns`` qualified with a table alias.
    static func messageColumns(alias: String) -> String {
        let names = [
            "id", "channel_id", "guild_id", "author_id", "timestamp", "edited_timestamp", "type", "flags", "content",
            "pinned", "reference_message_id", "reference_channel_id", "reference_guild_id", "json", "archived_at",
            "updated_at", "deleted_at", "revision_count",
        ]
        return names.map {
            $0 == "json" ? "\(PostgresMessageAuthors.json(of: alias)) AS json" : "\(alias).\($0)"
        }.joined(separator: ", ")
    }

    static func message(_ postgresRow: PostgresRow) throws -> StoredMessage {
        let row = postgresRow.makeRandomAccess()
        return StoredMessage(
            id: try row.id("id"), channelId: try row.id("channel_id"), guildId: try row.snowflake("guild_id"),
            authorId: try row.snowflake("author_id"), timestamp: DiscordTimestamp(rawValue: try row.get("timestamp")),
            editedTimestamp: try row.get("edited_timestamp", as: String?.self).map(DiscordTimestamp.init(rawValue:)),
            type: MessageType(rawValue: Int(try row.get("type", as: Int32.self))),
            flags: Int(try row.get("flags", as: Int64.self)), content: try row.get("content"),
            pinned: try row.get("pinned"), referencedMessageId: try row.snowflake("reference_message_id"),
            referencedChannelId: try row.snowflake("reference_channel_id"),
            referencedGuildId: try row.snowflake("reference_guild_id"), json: try row.jsonData(),
            archivedAt: try row.date("archived_at"), updatedAt: try row.date("updated_at"),
            deletedAt: try row.optionalDate("deleted_at"),
            revisionCount: Int(try row.get("revision_count", as: Int32.self)))
    }

    static let channelColumns = """
        id, guild_id, parent_id, type, name, position, is_thread, thread_archived, thread_locked,
        thread_archive_timestamp, json::text AS json, first_seen_at, updated_at, deleted_at
        """

    static func channel(_ postgresRow: PostgresRow) throws -> StoredChannel {
        let row = postgresRow.makeRandomAccess()
        return StoredChannel(
            id: try row.id("id"), guildId: try row.snowflake("guild_id"), parentId: try row.snowflake("parent_id"),
            type: ChannelType(rawValue: Int(try row.get("type", as: Int32.self))), name: try row.get("name"),
            position: try row.get("position", as: Int32?.self).map(Int.init), isThread: try row.get("is_thread"),
            threadArchived: try row.get("thread_archived"), threadLocked: try row.get("thread_locked"),
            threadArchiveTimestamp: try row.get("thread_archive_timestamp", as: String?.self)
                .map(DiscordTimestamp.init(rawValue:)),
            json: try row.jsonData(), firstSeenAt: try row.date("first_seen_at"), updatedAt: try row.date("updated_at"),
            deletedAt: try row.optionalDate("deleted_at"))
    }

    static let attachmentColumns = """
        id, message_id, channel_id, filename, size, content_type, url, proxy_url, sha256, local_path, downloaded_at,
        download_error, failed_attempts
        """

    static func attachment(_ postgresRow: PostgresRow) throws -> StoredAttachment {
        let row = postgresRow.makeRandomAccess()
        return StoredAttachment(
            id: try row.id("id"), messageId: try row.id("message_id"), channelId: try row.id("channel_id"),
            filename: try row.get("filename"), size: Int(try row.get("size", as: Int64.self)),
            contentType: try row.get("content_type"), url: try row.get("url"), proxyURL: try row.get("proxy_url"),
            sha256: try row.get("sha256"), localPath: try row.get("local_path"),
            downloadedAt: try row.optionalDate("downloaded_at"), downloadError: try row.get("download_error"),
            failedAttempts: Int(try row.get("failed_attempts", as: Int32.self)))
    }

    static func object(_ kind: ObjectKind, _ postgresRow: PostgresRow) throws -> StoredObject {
        let row = postgresRow.makeRandomAccess()
        return StoredObject(
            kind: kind, id: AnySnowflake(columnID: try row.get("id")), guildId: try row.snowflake("guild_id"),
            json: try row.jsonData(), firstSeenAt: try row.date("first_seen_at"),
            updatedAt: try row.date("updated_at"), deletedAt: try row.optionalDate("deleted_at"))
    }

    /// The columns of ``object(_:_:)`` for a kind's table (users have no guild and no tombstone).
    static func objectColumns(_ kind: ObjectKind) -> String {
        switch kind {
        case .user:
            "id, NULL::bigint AS guild_id, json::text AS json, first_seen_at, updated_at, NULL::text AS deleted_at"
        case .guild: "id, id AS guild_id, json::text AS json, first_seen_at, updated_at, deleted_at"
        default: "id, guild_id, json::text AS json, first_seen_at, updated_at, deleted_at"
        }
    }
}
