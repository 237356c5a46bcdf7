import DiscordModels
import Foundation

/// One guild-structure object as a backend writes it: its kind (which names the table), id, exact JSON and typed
/// columns. The typed columns of each kind are decided here once, so every backend stores the same values.
///
/// ```swift
/// let row = ObjectRow.role(role, guild: guild)
/// // SELECT json, changed_at, deleted_at FROM \(row.kind.table) WHERE id = row.id; then ObjectUpsert.decide(…)
/// ```
public struct ObjectRow: Sendable {
    /// The kind of object (``ObjectKind/table`` is its table).
    public var kind: ObjectKind
    /// The id column value.
    public var id: Int64
    /// The exact JSON Discord sent.
    public var json: Data
    /// The typed columns besides `id`, `json` and the bookkeeping times.
    public var columns: [ObjectColumn]

    /// Makes a row.
    public init(kind: ObjectKind, id: Int64, json: Data, columns: [ObjectColumn]) {
        self.kind = kind
        self.id = id
        self.json = json
        self.columns = columns
    }

    /// A guild's row.
    public static func guild(_ guild: Decoded<Guild>) -> ObjectRow {
        let value = guild.value
        return ObjectRow(
            kind: .guild, id: value.id.columnID, json: guild.json,
            columns: [
                ObjectColumn("name", .text(value.name)), ObjectColumn("owner_id", .int(value.ownerId.columnID())),
                ObjectColumn("icon", .text(value.icon)),
            ])
    }

    /// A channel's or thread's row; `guild` stands in when the channel has no `guild_id`.
    public static func channel(_ channel: Decoded<Channel>, guild: Snowflake<Guild>?) -> ObjectRow {
        let value = channel.value
        let metadata = value.threadMetadata
        return ObjectRow(
            kind: .channel, id: value.id.columnID, json: channel.json,
            columns: [
                ObjectColumn("guild_id", .int((value.guildId ?? guild).columnID()), keepWhenNull: true),
                ObjectColumn("parent_id", .int(value.parentId.columnID())),
                ObjectColumn("type", .int(Int64(value.type.rawValue))), ObjectColumn("name", .text(value.name)),
                ObjectColumn("position", .int(value.position.map(Int64.init))),
                ObjectColumn("is_thread", .bool(value.type.isThread)),
                ObjectColumn("thread_archived", .bool(metadata?.archived)),
                ObjectColumn("thread_locked", .bool(metadata?.locked)),
                ObjectColumn("thread_archive_timestamp", .text(metadata?.archiveTimestamp?.rawValue)),
            ])
    }

    /// A role's row.
    public static func role(_ role: Decoded<Role>, guild: Snowflake<Guild>) -> ObjectRow {
        let value = role.value
        return ObjectRow(
            kind: .role, id: value.id.columnID, json: role.json,
            columns: [
                ObjectColumn("guild_id", .int(guild.columnID)), ObjectColumn("name", .text(value.name)),
                ObjectColumn("position", .int(Int64(value.position))),
                ObjectColumn("permissions", .text(String(value.permissions.rawValue))),
                ObjectColumn("color", .int(value.color.map(Int64.init))),
            ])
    }

    /// A custom emoji's row (`nil` for a standard emoji, which has no id).
    public static func emoji(_ emoji: Decoded<Emoji>, guild: Snowflake<Guild>) -> ObjectRow? {
        let value = emoji.value
        guard let id = value.id else { return nil }
        return ObjectRow(
            kind: .emoji, id: id.columnID, json: emoji.json,
            columns: [
                ObjectColumn("guild_id", .int(guild.columnID)), ObjectColumn("name", .text(value.name)),
                ObjectColumn("animated", .bool(value.animated)),
            ])
    }

    /// A sticker's row.
    public static func sticker(_ sticker: Decoded<Sticker>, guild: Snowflake<Guild>) -> ObjectRow {
        let value = sticker.value
        return ObjectRow(
            kind: .sticker, id: value.id.columnID, json: sticker.json,
            columns: [
                ObjectColumn("guild_id", .int((value.guildId ?? guild).columnID)),
                ObjectColumn("name", .text(value.name)),
                ObjectColumn("format_type", .int(value.formatType.map { Int64($0.rawValue) })),
            ])
    }

    /// A scheduled event's row.
    public static func scheduledEvent(_ event: Decoded<ScheduledEvent>) -> ObjectRow {
        let value = event.value
        return ObjectRow(
            kind: .scheduledEvent, id: value.id.columnID, json: event.json,
            columns: [
                ObjectColumn("guild_id", .int(value.guildId.columnID)),
                ObjectColumn("channel_id", .int(value.channelId.columnID())), ObjectColumn("name", .text(value.name)),
                ObjectColumn("status", .int(Int64(value.status))),
                ObjectColumn("scheduled_start_time", .text(value.scheduledStartTime.rawValue)),
            ])
    }
}
