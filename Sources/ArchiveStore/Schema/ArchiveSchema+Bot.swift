extension ArchiveSchema {
    /// `skald clips` and `skald bot`: the clips found in archived messages (one row per message and URL) and the
    /// scan runs that found them, with a cursor per channel (JSON text) so an interrupted scan resumes.
    static let clips = SchemaMigration(
        "v5-clips",
        [
            .table(
                SchemaTable(
                    "clip", primaryKey: ["channel_id", "message_id", "url"],
                    columns: [
                        .required("channel_id", .snowflake), .required("message_id", .snowflake),
                        .required("url", .text), .optional("guild_id", .snowflake), .optional("author_id", .snowflake),
                        .required("kind", .text), .required("provider", .text),
                        .optional("attachment_id", .snowflake), .optional("sha256", .text),
                        .optional("size", .bigInteger), .optional("path", .text), .required("detected_at", .text),
                    ], sqliteWithoutRowID: true)),
            .index(SchemaIndex("clip_guild", on: "clip", ["guild_id", "kind"])),
            .table(
                SchemaTable(
                    "clip_scan", primaryKey: ["id"],
                    columns: [
                        .required("id", .text), .optional("guild_id", .snowflake), .required("channel_ids", .text),
                        .optional("since", .text), .required("started_at", .text), .optional("finished_at", .text),
                        .required("messages_scanned", .bigInteger), .required("clips_found", .bigInteger),
                        .required("status", .text), .optional("error", .text), .required("cursors", .text),
                    ], postgresInsertionOrder: "seq")),
        ])

    /// `skald bot`: per-guild settings (a JSON document: `jsonb` on PostgreSQL, queried and merged, not an archived
    /// payload) with the history of changes, job leases (one running instance per job across processes) and job
    /// runs.
    static let botState = SchemaMigration(
        "v5-bot-state",
        [
            .dialectSpecific(
                sqlite: [
                    """
                    CREATE TABLE guild_settings (guild_id INTEGER PRIMARY KEY, json TEXT NOT NULL, \
                    updated_at TEXT NOT NULL)
                    """
                ],
                postgresql: [
                    """
                    CREATE TABLE guild_settings (guild_id bigint PRIMARY KEY, json jsonb NOT NULL, \
                    updated_at text NOT NULL)
                    """
                ]),
            .table(
                SchemaTable(
                    "guild_settings_change",
                    columns: [
                        .required("id", .identity), .required("guild_id", .snowflake), .required("key", .text),
                        .optional("old_value", .text), .optional("new_value", .text), .required("changed_at", .text),
                    ])),
            .index(SchemaIndex("guild_settings_change_guild", on: "guild_settings_change", ["guild_id", "id"])),
            .table(
                SchemaTable(
                    "job_lease", primaryKey: ["job"],
                    columns: [.required("job", .text), .required("holder", .text), .required("until", .text)])),
            .table(
                SchemaTable(
                    "job_run", primaryKey: ["id"],
                    columns: [
                        .required("id", .text), .required("job", .text), .required("holder", .text),
                        .required("started_at", .text), .optional("finished_at", .text), .required("outcome", .text),
                        .optional("detail", .text),
                    ])),
            .index(SchemaIndex("job_run_job", on: "job_run", ["job", "started_at"])),
        ])

    /// `skald bot`: the messages a live batch committed whose clips are not recorded yet, marked in the batch's own
    /// transaction and consumed in the transaction that records their clips, so a process killed between the two
    /// finds them again at its next start (an edit that added a link to an old message included). Several marks may
    /// name one message (one per batch that wrote it); each is deleted by its id, so a mark written after the saver
    /// read the message survives it.
    static let clipPending = SchemaMigration(
        "v8-clip-pending",
        [
            .table(
                SchemaTable(
                    "clip_pending",
                    columns: [
                        .required("id", .identity), .required("channel_id", .snowflake),
                        .required("message_id", .snowflake),
                    ]))
        ])
}
