import ArchiveStore
import DiscordModels
import Foundation
import GRDB

/// Upserts guild-structure objects, keeping the previous JSON in `object_history` when the new one meaningfully
/// differs (``VolatileFields``), and tombstones what a complete listing lacks.
struct ObjectWriter {
    let db: Database
    let nowText: String

    /// A typed column and its value; `keepWhenNull` keeps the stored value when the new one is NULL.
    struct Column {
        var name: String
        var value: (any DatabaseValueConvertible)?
        var keepWhenNull = false
    }

    static func table(for kind: ObjectKind) -> String {
        switch kind {
        case .guild: "guild"
        case .channel: "channel"
        case .role: "role"
        case .emoji: "emoji"
        case .sticker: "sticker"
        case .scheduledEvent: "scheduled_event"
        case .user: "discord_user"
        }
    }

    func upsert(_ kind: ObjectKind, id: Int64, json data: Data, columns: [Column]) throws -> ObjectChanges {
        let table = Self.table(for: kind)
        let json = try jsonText(data, what: "\(kind.rawValue) \(UInt64(bitPattern: id))")
        let select = try db.cachedStatement(sql: "SELECT json, changed_at, deleted_at FROM \(table) WHERE id = ?")
        guard let row = try Row.fetchOne(select, arguments: [id]) else {
            let names = columns.map(\.name) + ["id", "json", "first_seen_at", "changed_at", "updated_at"]
            let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
            let insert = try db.cachedStatement(
                sql: "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(marks))")
            try insert.execute(
                arguments: StatementArguments(columns.map(\.value) + [id, json, nowText, nowText, nowText]))
            return ObjectChanges(inserted: 1)
        }
        let storedJSON: String = row["json"]
        let wasDeleted = (row["deleted_at"] as String?) != nil
        if storedJSON == json && !wasDeleted { return ObjectChanges(unchanged: 1) }
        let meaningful =
            storedJSON != json
            && VolatileFields.meaningfullyDiffer(Data(storedJSON.utf8), data, kind: kind)
        if meaningful {
            try db.cachedStatement(
                sql: """
                    INSERT INTO object_history (kind, object_id, json, valid_from, replaced_at)
                    VALUES (?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [kind.rawValue, id, storedJSON, row["changed_at"] as String, nowText])
        }
        let assignments =
            columns.map { $0.keepWhenNull ? "\($0.name) = COALESCE(?, \($0.name))" : "\($0.name) = ?" }
            + ["json = ?", "updated_at = ?", "deleted_at = NULL"]
            + (meaningful ? ["changed_at = ?"] : [])
        let update = try db.cachedStatement(
            sql: "UPDATE \(table) SET \(assignments.joined(separator: ", ")) WHERE id = ?")
        try update.execute(
            arguments: StatementArguments(
                columns.map(\.value) + [json, nowText] + (meaningful ? [nowText] : []) + [id]))
        return meaningful ? ObjectChanges(changed: 1) : ObjectChanges(refreshed: 1)
    }

    /// Tombstones the objects of `kind` in `guild` whose ids are not in `keeping`.
    func tombstoneMissing(
        _ kind: ObjectKind, guild: Snowflake<Guild>, keeping ids: [Int64], onlyNonThreads: Bool = false
    ) throws -> ObjectChanges {
        let table = Self.table(for: kind)
        let idList = "[" + ids.map(String.init).joined(separator: ",") + "]"
        try db.execute(
            sql: """
                UPDATE \(table) SET deleted_at = ?
                WHERE guild_id = ? AND deleted_at IS NULL \(onlyNonThreads ? "AND is_thread = 0" : "")
                    AND id NOT IN (SELECT value FROM json_each(?))
                """,
            arguments: [nowText, guild.sqlID, idList])
        return ObjectChanges(tombstoned: db.changesCount)
    }

    // MARK: Kinds

    func guild(_ guild: Decoded<Guild>) throws -> ObjectChanges {
        let value = guild.value
        if value.unavailable == true { return ObjectChanges(unchanged: 1) }
        return try upsert(
            .guild, id: value.id.sqlID, json: guild.json,
            columns: [
                Column(name: "name", value: value.name), Column(name: "owner_id", value: value.ownerId.sqlID()),
                Column(name: "icon", value: value.icon),
            ])
    }

    func channel(_ channel: Decoded<Channel>, guild: Snowflake<Guild>?) throws -> ObjectChanges {
        let value = channel.value
        let metadata = value.threadMetadata
        return try upsert(
            .channel, id: value.id.sqlID, json: channel.json,
            columns: [
                Column(name: "guild_id", value: (value.guildId ?? guild).sqlID(), keepWhenNull: true),
                Column(name: "parent_id", value: value.parentId.sqlID()),
                Column(name: "type", value: value.type.rawValue), Column(name: "name", value: value.name),
                Column(name: "position", value: value.position),
                Column(name: "is_thread", value: value.type.isThread),
                Column(name: "thread_archived", value: metadata?.archived),
                Column(name: "thread_locked", value: metadata?.locked),
                Column(name: "thread_archive_timestamp", value: metadata?.archiveTimestamp?.rawValue),
            ])
    }

    func role(_ role: Decoded<Role>, guild: Snowflake<Guild>) throws -> ObjectChanges {
        let value = role.value
        return try upsert(
            .role, id: value.id.sqlID, json: role.json,
            columns: [
                Column(name: "guild_id", value: guild.sqlID), Column(name: "name", value: value.name),
                Column(name: "position", value: value.position),
                Column(name: "permissions", value: String(value.permissions.rawValue)),
                Column(name: "color", value: value.color),
            ])
    }

    func emoji(_ emoji: Decoded<Emoji>, guild: Snowflake<Guild>) throws -> ObjectChanges {
        let value = emoji.value
        guard let id = value.id else { return ObjectChanges() }
        return try upsert(
            .emoji, id: id.sqlID, json: emoji.json,
            columns: [
                Column(name: "guild_id", value: guild.sqlID), Column(name: "name", value: value.name),
                Column(name: "animated", value: value.animated),
            ])
    }

    func sticker(_ sticker: Decoded<Sticker>, guild: Snowflake<Guild>) throws -> ObjectChanges {
        let value = sticker.value
        return try upsert(
            .sticker, id: value.id.sqlID, json: sticker.json,
            columns: [
                Column(name: "guild_id", value: (value.guildId ?? guild).sqlID),
                Column(name: "name", value: value.name),
                Column(name: "format_type", value: value.formatType?.rawValue),
            ])
    }

    func scheduledEvent(_ event: Decoded<ScheduledEvent>, guild: Snowflake<Guild>) throws -> ObjectChanges {
        let value = event.value
        return try upsert(
            .scheduledEvent, id: value.id.sqlID, json: event.json,
            columns: [
                Column(name: "guild_id", value: value.guildId.sqlID),
                Column(name: "channel_id", value: value.channelId.sqlID()), Column(name: "name", value: value.name),
                Column(name: "status", value: value.status),
                Column(name: "scheduled_start_time", value: value.scheduledStartTime.rawValue),
            ])
    }
}
