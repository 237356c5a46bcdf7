import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

extension PostgresArchiveStore: BotStateStore {
    /// See ``BotStateStore/guildSettings(_:)``.
    public func guildSettings(_ guild: Snowflake<Guild>) async throws -> Data? {
        try await read("read the settings of guild \(guild)") { connection in
            let rows = try await connection.query(
                "SELECT json::text FROM guild_settings WHERE guild_id = \(guild.columnID)", logger: self.logger
            ).collect()
            return try rows.first.map { Data(try $0.decode(String.self).utf8) }
        }
    }

    /// See ``BotStateStore/setGuildSetting(_:key:value:at:)``: the row is locked while the document changes, so
    /// two processes setting keys at once both land.
    public func setGuildSetting(_ guild: Snowflake<Guild>, key: String, value: Data?, at date: Date) async throws {
        try await write("set \(key) in the settings of guild \(guild)") { connection in
            try await connection.query(
                """
                INSERT INTO guild_settings (guild_id, json, updated_at)
                VALUES (\(guild.columnID), '{}'::jsonb, \(ColumnDate.text(date))) ON CONFLICT (guild_id) DO NOTHING
                """, logger: self.logger)
            let rows = try await connection.query(
                "SELECT json::text FROM guild_settings WHERE guild_id = \(guild.columnID) FOR UPDATE",
                logger: self.logger
            ).collect()
            let current = try rows.first.map { Data(try $0.decode(String.self).utf8) }
            let change = try SettingsDocument.set(key, to: value, in: current)
            try await connection.query(
                """
                UPDATE guild_settings SET json = \(change.document)::jsonb, updated_at = \(ColumnDate.text(date))
                WHERE guild_id = \(guild.columnID)
                """, logger: self.logger)
            try await connection.query(
                """
                INSERT INTO guild_settings_change (guild_id, key, old_value, new_value, changed_at)
                VALUES (\(guild.columnID), \(key), \(change.old), \(change.new), \(ColumnDate.text(date)))
                """, logger: self.logger)
        }
    }

    /// See ``BotStateStore/guildSettingChanges(_:)``.
    public func guildSettingChanges(_ guild: Snowflake<Guild>) async throws -> [SettingChange] {
        try await read("read the settings history of guild \(guild)") { connection in
            let rows = try await connection.query(
                """
                SELECT key, old_value, new_value, changed_at FROM guild_settings_change
                WHERE guild_id = \(guild.columnID) ORDER BY id
                """, logger: self.logger)
            var result: [SettingChange] = []
            for try await (key, old, new, at) in rows.decode((String, String?, String?, String).self) {
                result.append(SettingChange(key: key, oldValue: old, newValue: new, at: ColumnDate.date(at)))
            }
            return result
        }
    }

    /// See ``BotStateStore/acquireJobLease(_:holder:until:now:)``: one statement, so two processes racing for a
    /// free lease cannot both take it.
    public func acquireJobLease(_ job: String, holder: String, until: Date, now: Date) async throws -> Bool {
        try await write("take the lease of job \(job)") { connection in
            let rows = try await connection.query(
                """
                INSERT INTO job_lease (job, holder, until) VALUES (\(job), \(holder), \(ColumnDate.text(until)))
                ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, until = excluded.until
                WHERE job_lease.holder = excluded.holder OR job_lease.until <= \(ColumnDate.text(now))
                RETURNING job
                """, logger: self.logger
            ).collect()
            return rows.count == 1
        }
    }

    /// See ``BotStateStore/jobLeaseHolder(_:)``.
    public func jobLeaseHolder(_ job: String) async throws -> String? {
        try await read("read the lease of job \(job)") { connection in
            let rows = try await connection.query(
                "SELECT holder FROM job_lease WHERE job = \(job)", logger: self.logger
            ).collect()
            return try rows.first.map { try $0.decode(String.self) }
        }
    }

    /// See ``BotStateStore/releaseJobLease(_:holder:)``.
    public func releaseJobLease(_ job: String, holder: String) async throws {
        try await write("give back the lease of job \(job)") { connection in
            try await connection.query(
                "DELETE FROM job_lease WHERE job = \(job) AND holder = \(holder)", logger: self.logger)
        }
    }

    /// See ``BotStateStore/recordJobRun(_:)``.
    public func recordJobRun(_ run: JobRun) async throws {
        try await write("record run \(run.id) of job \(run.job)") { connection in
            try await connection.query(
                """
                INSERT INTO job_run (id, job, holder, started_at, finished_at, outcome, detail)
                VALUES (\(run.id.uuidString), \(run.job), \(run.holder), \(ColumnDate.text(run.startedAt)),
                    \(ColumnDate.text(run.finishedAt)), \(run.outcome), \(run.detail.map(pgText)))
                ON CONFLICT (id) DO UPDATE SET finished_at = excluded.finished_at, outcome = excluded.outcome,
                    detail = excluded.detail
                """, logger: self.logger)
        }
    }

    /// See ``BotStateStore/jobRuns(job:limit:)``.
    public func jobRuns(job: String?, limit: Int) async throws -> [JobRun] {
        try await read("list job runs") { connection in
            let rows = try await connection.query(
                """
                SELECT id, job, holder, started_at, finished_at, outcome, detail FROM job_run
                WHERE \(job)::text IS NULL OR job = \(job)
                ORDER BY started_at DESC, id DESC LIMIT \(Int64(limit))
                """, logger: self.logger)
            var result: [JobRun] = []
            for try await (id, name, holder, started, finished, outcome, detail) in rows.decode(
                (String, String, String, String, String?, String, String?).self)
            {
                result.append(
                    JobRun(
                        id: UUID(uuidString: id) ?? UUID(), job: name, holder: holder,
                        startedAt: ColumnDate.date(started), finishedAt: ColumnDate.date(finished), outcome: outcome,
                        detail: detail))
            }
            return result
        }
    }

    /// See ``BotStateStore/vacuum()``: `VACUUM ANALYZE` of the bot's and the message tables (outside a transaction).
    public func vacuum() async throws {
        try await read("vacuum the archive") { connection in
            for table in ["message", "attachment", "clip", "job_run", "guild_settings_change"] {
                try await connection.query(PostgresQuery(unsafeSQL: "VACUUM ANALYZE \(table)"), logger: self.logger)
            }
        }
    }

    /// See ``BotStateStore/verifyIntegrity()``: every archive table answers and no clip points at a message the
    /// archive lacks.
    public func verifyIntegrity() async throws -> String {
        try await read("check the archive") { connection in
            let rows = try await connection.query(
                """
                SELECT count(*) FROM clip c LEFT JOIN message m ON m.channel_id = c.channel_id AND m.id = c.message_id
                WHERE m.id IS NULL
                """, logger: self.logger
            ).collect()
            let orphans = try rows.first?.decode(Int64.self) ?? 0
            guard orphans == 0 else {
                throw ArchiveStoreError.invalidJSON("\(orphans) clips point at messages the archive lacks")
            }
            return "clips consistent"
        }
    }
}
