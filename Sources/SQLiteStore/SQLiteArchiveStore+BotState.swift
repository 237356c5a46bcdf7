import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore: BotStateStore {
    /// See ``BotStateStore/guildSettings(_:)``.
    public func guildSettings(_ guild: Snowflake<Guild>) async throws -> Data? {
        try await read("read the settings of guild \(guild)") { db in
            try String.fetchOne(
                db, sql: "SELECT json FROM guild_settings WHERE guild_id = ?", arguments: [guild.columnID]
            )
            .map { Data($0.utf8) }
        }
    }

    /// See ``BotStateStore/setGuildSetting(_:key:value:at:)``.
    public func setGuildSetting(_ guild: Snowflake<Guild>, key: String, value: Data?, at date: Date) async throws {
        try await write("set \(key) in the settings of guild \(guild)") { db in
            let current = try String.fetchOne(
                db, sql: "SELECT json FROM guild_settings WHERE guild_id = ?", arguments: [guild.columnID])
            let change = try SettingsDocument.set(key, to: value, in: current.map { Data($0.utf8) })
            try db.execute(
                sql: """
                    INSERT INTO guild_settings (guild_id, json, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (guild_id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at
                    """,
                arguments: [guild.columnID, change.document, ColumnDate.text(date)])
            try db.execute(
                sql: """
                    INSERT INTO guild_settings_change (guild_id, key, old_value, new_value, changed_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [guild.columnID, key, change.old, change.new, ColumnDate.text(date)])
        }
    }

    /// See ``BotStateStore/guildSettingChanges(_:)``.
    public func guildSettingChanges(_ guild: Snowflake<Guild>) async throws -> [SettingChange] {
        try await read("read the settings history of guild \(guild)") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM guild_settings_change WHERE guild_id = ? ORDER BY id",
                arguments: [guild.columnID]
            ).map {
                SettingChange(
                    key: $0["key"], oldValue: $0["old_value"], newValue: $0["new_value"],
                    at: ColumnDate.date($0["changed_at"] as String))
            }
        }
    }

    /// See ``BotStateStore/acquireJobLease(_:holder:until:now:)``.
    public func acquireJobLease(_ job: String, holder: String, until: Date, now: Date) async throws -> Bool {
        try await write("take the lease of job \(job)") { db in
            try db.execute(
                sql: """
                    INSERT INTO job_lease (job, holder, until) VALUES (?, ?, ?)
                    ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, until = excluded.until
                    WHERE job_lease.holder = excluded.holder OR job_lease.until <= ?
                    """,
                arguments: [job, holder, ColumnDate.text(until), ColumnDate.text(now)])
            return db.changesCount == 1
        }
    }

    /// See ``BotStateStore/jobLeaseHolder(_:)``.
    public func jobLeaseHolder(_ job: String) async throws -> String? {
        try await read("read the lease of job \(job)") { db in
            try String.fetchOne(db, sql: "SELECT holder FROM job_lease WHERE job = ?", arguments: [job])
        }
    }

    /// See ``BotStateStore/releaseJobLease(_:holder:)``.
    public func releaseJobLease(_ job: String, holder: String) async throws {
        try await write("give back the lease of job \(job)") { db in
            try db.execute(sql: "DELETE FROM job_lease WHERE job = ? AND holder = ?", arguments: [job, holder])
        }
    }

    /// See ``BotStateStore/recordJobRun(_:)``.
    public func recordJobRun(_ run: JobRun) async throws {
        try await write("record run \(run.id) of job \(run.job)") { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO job_run (id, job, holder, started_at, finished_at, outcome, detail)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.id.uuidString, run.job, run.holder, ColumnDate.text(run.startedAt),
                    ColumnDate.text(run.finishedAt), run.outcome, run.detail,
                ])
        }
    }

    /// See ``BotStateStore/jobRuns(job:limit:)``.
    public func jobRuns(job: String?, limit: Int) async throws -> [JobRun] {
        try await read("list job runs") { db in
            let filter = job == nil ? "" : "WHERE job = ?"
            var arguments: StatementArguments = []
            if let job { arguments += [job] }
            arguments += [limit]
            return try Row.fetchAll(
                db, sql: "SELECT * FROM job_run \(filter) ORDER BY started_at DESC, rowid DESC LIMIT ?",
                arguments: arguments
            ).map {
                JobRun(
                    id: UUID(uuidString: $0["id"]) ?? UUID(), job: $0["job"], holder: $0["holder"],
                    startedAt: ColumnDate.date($0["started_at"] as String),
                    finishedAt: ColumnDate.date($0["finished_at"] as String?), outcome: $0["outcome"],
                    detail: $0["detail"])
            }
        }
    }

    /// See ``BotStateStore/vacuum()``: `VACUUM`, then `PRAGMA optimize`.
    public func vacuum() async throws {
        try await writer.vacuum()
        try await writer.write { db in try db.execute(sql: "PRAGMA optimize") }
    }

    /// See ``BotStateStore/verifyIntegrity()``: `PRAGMA quick_check`.
    public func verifyIntegrity() async throws -> String {
        let problems = try await read("check the archive's integrity") { db in
            try String.fetchAll(db, sql: "PRAGMA quick_check")
        }
        guard problems == ["ok"] else {
            throw ArchiveStoreError.invalidJSON(
                "the SQLite file is damaged: " + problems.prefix(5).joined(separator: "; "))
        }
        return "quick_check ok"
    }
}
