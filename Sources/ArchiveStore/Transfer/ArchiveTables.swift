/// The tables of the archive schema (migrations `v1-guild-structure` … `v5-import-revisions`), parents before
/// children, with the columns every backend shares. Keep in step with the migrations of both backends.
public enum ArchiveTables {
    private typealias C = ArchiveTable.Column

    private static func structure(_ name: String, _ typed: [C]) -> ArchiveTable {
        ArchiveTable(
            name: name,
            columns: [C("id", .integer)] + typed + [
                C("json", .json), C("first_seen_at", .text), C("changed_at", .text), C("updated_at", .text),
                C("deleted_at", .text),
            ],
            key: ["id"])
    }

    /// Every table, in an order that satisfies foreign keys.
    public static let all: [ArchiveTable] = [
        structure("guild", [C("name", .text), C("owner_id", .integer), C("icon", .text)]),
        structure(
            "channel",
            [
                C("guild_id", .integer), C("parent_id", .integer), C("type", .integer), C("name", .text),
                C("position", .integer), C("is_thread", .boolean), C("thread_archived", .boolean),
                C("thread_locked", .boolean), C("thread_archive_timestamp", .text),
            ]),
        structure(
            "role",
            [
                C("guild_id", .integer), C("name", .text), C("position", .integer), C("permissions", .text),
                C("color", .integer),
            ]),
        structure("emoji", [C("guild_id", .integer), C("name", .text), C("animated", .boolean)]),
        structure("sticker", [C("guild_id", .integer), C("name", .text), C("format_type", .integer)]),
        structure(
            "scheduled_event",
            [
                C("guild_id", .integer), C("channel_id", .integer), C("name", .text), C("status", .integer),
                C("scheduled_start_time", .text),
            ]),
        ArchiveTable(
            name: "object_history",
            columns: [
                C("id", .integer), C("kind", .text), C("object_id", .integer), C("json", .json),
                C("valid_from", .text), C("replaced_at", .text),
            ],
            key: ["id"]),
        ArchiveTable(
            name: "discord_user",
            columns: [
                C("id", .integer), C("username", .text), C("global_name", .text), C("discriminator", .text),
                C("avatar", .text), C("bot", .boolean), C("json", .json), C("seen_at", .integer),
                C("first_seen_at", .text), C("updated_at", .text),
            ],
            key: ["id"]),
        ArchiveTable(
            name: "member",
            columns: [
                C("guild_id", .integer), C("user_id", .integer), C("nick", .text), C("joined_at", .text),
                C("json", .json), C("first_seen_at", .text), C("updated_at", .text), C("left_at", .text),
            ],
            key: ["guild_id", "user_id"]),
        ArchiveTable(
            name: "message",
            columns: [
                C("channel_id", .integer), C("id", .integer), C("guild_id", .integer), C("author_id", .integer),
                C("timestamp", .text), C("edited_timestamp", .text), C("type", .integer), C("flags", .integer),
                C("content", .text), C("pinned", .boolean), C("reference_message_id", .integer),
                C("reference_channel_id", .integer), C("reference_guild_id", .integer), C("json", .json),
                C("archived_at", .text), C("updated_at", .text), C("deleted_at", .text),
                C("revision_count", .integer), C("deletion_source", .text), C("pinned_at", .text),
            ],
            key: ["channel_id", "id"]),
        ArchiveTable(
            name: "message_revision",
            columns: [
                C("id", .integer), C("channel_id", .integer), C("message_id", .integer),
                C("edited_timestamp", .text), C("content", .text), C("json", .json), C("recorded_at", .text),
            ],
            key: ["id"]),
        ArchiveTable(
            name: "attachment",
            columns: [
                C("id", .integer), C("message_id", .integer), C("channel_id", .integer), C("filename", .text),
                C("size", .integer), C("content_type", .text), C("url", .text), C("proxy_url", .text),
                C("sha256", .text), C("local_path", .text), C("downloaded_at", .text), C("download_error", .text),
                C("failed_attempts", .integer),
            ],
            key: ["id"]),
        ArchiveTable(
            name: "reaction",
            columns: [
                C("channel_id", .integer), C("message_id", .integer), C("emoji_key", .text),
                C("emoji_id", .integer), C("emoji_name", .text), C("count", .integer), C("normal_count", .integer),
                C("burst_count", .integer),
            ],
            key: ["channel_id", "message_id", "emoji_key"]),
        ArchiveTable(
            name: "reaction_user",
            columns: [
                C("channel_id", .integer), C("message_id", .integer), C("emoji_key", .text), C("burst", .boolean),
                C("user_id", .integer),
            ],
            key: ["channel_id", "message_id", "emoji_key", "burst", "user_id"]),
        ArchiveTable(
            name: "channel_checkpoint",
            columns: [
                C("channel_id", .integer), C("guild_id", .integer), C("backfill_complete", .boolean),
                C("oldest_archived_id", .integer), C("newest_archived_id", .integer),
                C("backfill_cursor", .integer), C("last_sync_at", .text), C("last_recheck_at", .text),
                C("recheck_cursor", .integer), C("updated_at", .text),
            ],
            key: ["channel_id"]),
        ArchiveTable(
            name: "channel_segment",
            columns: [
                C("channel_id", .integer), C("low", .integer), C("high", .integer), C("cursor", .integer),
                C("done", .boolean), C("updated_at", .text),
            ],
            key: ["channel_id", "low"]),
        ArchiveTable(
            name: "run",
            columns: [
                C("id", .text), C("command", .text), C("started_at", .text), C("finished_at", .text),
                C("status", .text), C("counts", .text),
            ],
            key: []),
        ArchiveTable(
            name: "run_issue",
            columns: [
                C("id", .integer), C("run_id", .text), C("kind", .text), C("guild_id", .integer),
                C("channel_id", .integer), C("reason", .text), C("at", .text),
            ],
            key: ["id"]),
        ArchiveTable(
            name: "imported_message",
            columns: [
                C("channel_id", .integer), C("id", .integer), C("guild_id", .integer), C("timestamp", .text),
                C("json", .json), C("imported_at", .text), C("updated_at", .text), C("exported_at", .integer),
            ],
            key: ["channel_id", "id"]),
        ArchiveTable(
            name: "message_source",
            columns: [
                C("channel_id", .integer), C("message_id", .integer), C("source", .text), C("imported_at", .text),
            ],
            key: ["channel_id", "message_id", "source"]),
        ArchiveTable(
            name: "imported_channel",
            columns: [
                C("channel_id", .integer), C("guild_id", .integer), C("guild_json", .json),
                C("channel_json", .json), C("source", .text), C("imported_at", .text),
            ],
            key: ["channel_id"]),
        // v5-import-revisions: the other versions of imported messages.
        ArchiveTable(
            name: "imported_revision",
            columns: [
                C("id", .integer), C("channel_id", .integer), C("message_id", .integer), C("json", .json),
                C("exported_at", .integer), C("recorded_at", .text),
            ],
            key: ["id"]),
        // v3-live-capture: the gateway session of each shard and the guilds the bot was removed from.
        ArchiveTable(
            name: "gateway_session",
            columns: [
                C("key", .text), C("session_id", .text), C("sequence", .integer), C("resume_url", .text),
                C("updated_at", .text),
            ],
            key: ["key"]),
        ArchiveTable(name: "guild_left", columns: [C("guild_id", .integer), C("left_at", .text)], key: ["guild_id"]),
        // v3-object-store: `skald store`'s catalogue (ids are text, as the manifests write them).
        ArchiveTable(
            name: "store_object",
            columns: [
                C("object_id", .text), C("archive_id", .text), C("name", .text), C("channel_id", .text),
                C("size", .integer), C("state", .text), C("source_path", .text), C("manifest", .text),
                C("manifest_message_id", .text), C("created_at", .text),
            ],
            key: ["object_id"]),
        // v4-mirror-map: what `skald mirror` made on each target, so a mirror resumes from the copied archive.
        ArchiveTable(
            name: "mirror_map",
            columns: [
                C("target", .text), C("kind", .text), C("source_id", .integer), C("part", .integer),
                C("target_id", .integer), C("extra", .text), C("created_at", .text),
            ],
            key: ["target", "kind", "source_id", "part"]),
    ]
}
