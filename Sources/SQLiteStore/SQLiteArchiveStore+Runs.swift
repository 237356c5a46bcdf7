import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore {
    /// See ``RunStore/startRun(_:)``.
    public func startRun(_ run: RunRecord) async throws {
        let counts = try Self.countsJSON(run.counts)
        try await write("record the start of run \(run.id)") { db in
            try db.execute(
                sql: """
                    INSERT INTO run (id, command, started_at, finished_at, status, counts) VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.id.uuidString, run.command, ColumnDate.text(run.startedAt), ColumnDate.text(run.finishedAt),
                    run.status.rawValue, counts,
                ])
            for issue in run.issues { try Self.insert(issue, run: run.id, db: db) }
        }
    }

    /// See ``RunStore/recordRunIssue(_:run:)``.
    public func recordRunIssue(_ issue: RunIssue, run: UUID) async throws {
        try await write("record an issue of run \(run)") { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM run WHERE id = ?", arguments: [run.uuidString]) != nil
            else { throw ArchiveStoreError.unknownRun("run \(run) was never started") }
            try Self.insert(issue, run: run, db: db)
        }
    }

    /// See ``RunStore/finishRun(_:status:counts:at:)``.
    public func finishRun(_ run: UUID, status: RunStatus, counts: [String: Int], at date: Date) async throws {
        let counts = try Self.countsJSON(counts)
        try await write("record the end of run \(run)") { db in
            try db.execute(
                sql: "UPDATE run SET finished_at = ?, status = ?, counts = ? WHERE id = ?",
                arguments: [ColumnDate.text(date), status.rawValue, counts, run.uuidString])
            guard db.changesCount == 1 else { throw ArchiveStoreError.unknownRun("run \(run) was never started") }
        }
    }

    /// See ``RunStore/runs(limit:)``.
    public func runs(limit: Int) async throws -> [RunRecord] {
        try await read("list runs") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM run ORDER BY started_at DESC, rowid DESC LIMIT ?", arguments: [limit]
            ).map { row in
                let id: String = row["id"]
                let issues = try Row.fetchAll(
                    db, sql: "SELECT * FROM run_issue WHERE run_id = ? ORDER BY id", arguments: [id]
                ).map { issue in
                    RunIssue(
                        kind: RunIssue.Kind(rawValue: issue["kind"]) ?? .failed, guildId: issue.snowflake("guild_id"),
                        channelId: issue.snowflake("channel_id"), reason: issue["reason"],
                        at: ColumnDate.date(issue["at"] as String))
                }
                let counts = (try? JSONDecoder().decode([String: Int].self, from: row.jsonData("counts"))) ?? [:]
                return RunRecord(
                    id: UUID(uuidString: id) ?? UUID(), command: row["command"],
                    startedAt: ColumnDate.date(row["started_at"] as String),
                    finishedAt: ColumnDate.date(row["finished_at"] as String?),
                    status: RunStatus(rawValue: row["status"]) ?? .running, counts: counts, issues: issues)
            }
        }
    }

    static func insert(_ issue: RunIssue, run: UUID, db: Database) throws {
        try db.execute(
            sql: "INSERT INTO run_issue (run_id, kind, guild_id, channel_id, reason, at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [
                run.uuidString, issue.kind.rawValue, issue.guildId.columnID(), issue.channelId.columnID(), issue.reason,
                ColumnDate.text(issue.at),
            ])
    }

    static func countsJSON(_ counts: [String: Int]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(counts), as: UTF8.self)
    }
}
