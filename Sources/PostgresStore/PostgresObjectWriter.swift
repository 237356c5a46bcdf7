import ArchiveStore
import DiscordModels
import Foundation
import Logging
import PostgresNIO

/// Upserts guild-structure objects inside a transaction, keeping the previous JSON in `object_history` when the
/// new one meaningfully differs (``VolatileFields``), and tombstones what a complete listing lacks — the rules of
/// the SQLite backend's `ObjectWriter`, statement for statement.
struct PostgresObjectWriter {
    let connection: PostgresConnection
    let logger: Logger
    let nowText: String

    /// A typed column value.
    enum Value {
        case int(Int64?)
        case text(String?)
        case bool(Bool?)
    }

    /// A typed column and its value; `keepWhenNull` keeps the stored value when the new one is NULL.
    struct Column {
        var name: String
        var value: Value
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

    private func bind(_ value: Value, into builder: inout SQLBuilder) {
        switch value {
        case .int(let v): builder.bind(v)
        case .text(let v): builder.bind(v.map(pgText))
        case .bool(let v): builder.bind(v)
        }
    }

    func upsert(_ kind: ObjectKind, id: Int64, json data: Data, columns: [Column]) async throws -> ObjectChanges {
        let table = Self.table(for: kind)
        let json = try jsonText(data, what: "\(kind.rawValue) \(UInt64(bitPattern: id))")
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT json::text AS json, changed_at, deleted_at FROM \(table) WHERE id = $1 FOR UPDATE",
                binds: {
                    var binds = PostgresBindings()
                    binds.append(id)
                    return binds
                }()),
            logger: logger
        ).collect()
        guard let row = rows.first?.makeRandomAccess() else {
            var insert = SQLBuilder()
            let names = columns.map(\.name) + ["id", "json", "first_seen_at", "changed_at", "updated_at"]
            insert.append("INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (")
            for column in columns {
                bind(column.value, into: &insert)
                insert.append(", ")
            }
            insert.bind(id)
            insert.append(", ")
            insert.bind(json, cast: "::json")
            insert.append(", ")
            insert.bind(nowText)
            insert.append(", ")
            insert.bind(nowText)
            insert.append(", ")
            insert.bind(nowText)
            insert.append(")")
            try await connection.query(insert.query, logger: logger)
            return ObjectChanges(inserted: 1)
        }
        let storedJSON: String = try row.get("json")
        let wasDeleted = try row.get("deleted_at", as: String?.self) != nil
        if storedJSON == json && !wasDeleted { return ObjectChanges(unchanged: 1) }
        let meaningful =
            storedJSON != json && VolatileFields.meaningfullyDiffer(Data(storedJSON.utf8), data, kind: kind)
        if meaningful {
            var history = SQLBuilder()
            history.append("INSERT INTO object_history (kind, object_id, json, valid_from, replaced_at) VALUES (")
            history.bind(kind.rawValue)
            history.append(", ")
            history.bind(id)
            history.append(", ")
            history.bind(storedJSON, cast: "::json")
            history.append(", ")
            history.bind(try row.get("changed_at", as: String.self))
            history.append(", ")
            history.bind(nowText)
            history.append(")")
            try await connection.query(history.query, logger: logger)
        }
        var update = SQLBuilder()
        update.append("UPDATE \(table) SET ")
        for column in columns {
            update.append(column.keepWhenNull ? "\(column.name) = COALESCE(" : "\(column.name) = ")
            bind(column.value, into: &update)
            update.append(column.keepWhenNull ? ", \(column.name)), " : ", ")
        }
        update.append("json = ")
        update.bind(json, cast: "::json")
        update.append(", updated_at = ")
        update.bind(nowText)
        update.append(", deleted_at = NULL")
        if meaningful {
            update.append(", changed_at = ")
            update.bind(nowText)
        }
        update.append(" WHERE id = ")
        update.bind(id)
        try await connection.query(update.query, logger: logger)
        return meaningful ? ObjectChanges(changed: 1) : ObjectChanges(refreshed: 1)
    }

    /// Tombstones the objects of `kind` in `guild` whose ids are not in `keeping`.
    func tombstoneMissing(
        _ kind: ObjectKind, guild: Snowflake<Guild>, keeping ids: [Int64], onlyNonThreads: Bool = false
    ) async throws -> ObjectChanges {
        var builder = SQLBuilder()
        builder.append("UPDATE \(Self.table(for: kind)) SET deleted_at = ")
        builder.bind(nowText)
        builder.append(" WHERE guild_id = ")
        builder.bind(guild.pgID)
        builder.append(" AND deleted_at IS NULL\(onlyNonThreads ? " AND NOT is_thread" : "") AND NOT (id = ANY(")
        builder.bind(ids, cast: "::bigint[]")
        builder.append(")) RETURNING id")
        let rows = try await connection.query(builder.query, logger: logger).collect()
        return ObjectChanges(tombstoned: rows.count)
    }

    // MARK: Kinds

    func guild(_ guild: Decoded<Guild>) async throws -> ObjectChanges {
        let value = guild.value
        if value.unavailable == true { return ObjectChanges(unchanged: 1) }
        return try await upsert(
            .guild, id: value.id.pgID, json: guild.json,
            columns: [
                Column(name: "name", value: .text(value.name)),
                Column(name: "owner_id", value: .int(value.ownerId.pgID())),
                Column(name: "icon", value: .text(value.icon)),
            ])
    }

    func channel(_ channel: Decoded<DiscordModels.Channel>, guild: Snowflake<Guild>?) async throws -> ObjectChanges {
        let value = channel.value
        let metadata = value.threadMetadata
        return try await upsert(
            .channel, id: value.id.pgID, json: channel.json,
            columns: [
                Column(name: "guild_id", value: .int((value.guildId ?? guild).pgID()), keepWhenNull: true),
                Column(name: "parent_id", value: .int(value.parentId.pgID())),
                Column(name: "type", value: .int(Int64(value.type.rawValue))),
                Column(name: "name", value: .text(value.name)),
                Column(name: "position", value: .int(value.position.map(Int64.init))),
                Column(name: "is_thread", value: .bool(value.type.isThread)),
                Column(name: "thread_archived", value: .bool(metadata?.archived)),
                Column(name: "thread_locked", value: .bool(metadata?.locked)),
                Column(name: "thread_archive_timestamp", value: .text(metadata?.archiveTimestamp?.rawValue)),
            ])
    }

    func role(_ role: Decoded<Role>, guild: Snowflake<Guild>) async throws -> ObjectChanges {
        let value = role.value
        return try await upsert(
            .role, id: value.id.pgID, json: role.json,
            columns: [
                Column(name: "guild_id", value: .int(guild.pgID)), Column(name: "name", value: .text(value.name)),
                Column(name: "position", value: .int(Int64(value.position))),
                Column(name: "permissions", value: .text(String(value.permissions.rawValue))),
                Column(name: "color", value: .int(value.color.map(Int64.init))),
            ])
    }

    func emoji(_ emoji: Decoded<Emoji>, guild: Snowflake<Guild>) async throws -> ObjectChanges {
        let value = emoji.value
        guard let id = value.id else { return ObjectChanges() }
        return try await upsert(
            .emoji, id: id.pgID, json: emoji.json,
            columns: [
                Column(name: "guild_id", value: .int(guild.pgID)), Column(name: "name", value: .text(value.name)),
                Column(name: "animated", value: .bool(value.animated)),
            ])
    }

    func sticker(_ sticker: Decoded<Sticker>, guild: Snowflake<Guild>) async throws -> ObjectChanges {
        let value = sticker.value
        return try await upsert(
            .sticker, id: value.id.pgID, json: sticker.json,
            columns: [
                Column(name: "guild_id", value: .int((value.guildId ?? guild).pgID)),
                Column(name: "name", value: .text(value.name)),
                Column(name: "format_type", value: .int(value.formatType.map { Int64($0.rawValue) })),
            ])
    }

    func scheduledEvent(_ event: Decoded<ScheduledEvent>, guild: Snowflake<Guild>) async throws -> ObjectChanges {
        let value = event.value
        return try await upsert(
            .scheduledEvent, id: value.id.pgID, json: event.json,
            columns: [
                Column(name: "guild_id", value: .int(value.guildId.pgID)),
                Column(name: "channel_id", value: .int(value.channelId.pgID())),
                Column(name: "name", value: .text(value.name)),
                Column(name: "status", value: .int(Int64(value.status))),
                Column(name: "scheduled_start_time", value: .text(value.scheduledStartTime.rawValue)),
            ])
    }
}
