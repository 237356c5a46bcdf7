import ArchiveStore
import DiscordModels
import Foundation
import PostgresNIO

extension PostgresArchiveStore {
    /// See ``RunStore/startRun(_:)``.
    public func startRun(_ run: RunRecord) async throws {
        let counts = try Self.countsJSON(run.counts)
        try await write("record the start of run \(run.id)") { connection in
            try await connection.query(
                """
                INSERT INTO run (id, command, started_at, finished_at, status, counts)
                VALUES (\(run.id.uuidString), \(pgText(run.command)), \(ColumnDate.text(run.startedAt)),
                    \(ColumnDate.text(run.finishedAt)), \(run.status.rawValue), \(counts))
                """, logger: self.logger)
            for issue in run.issues { try await self.insert(issue, run: run.id, connection: connection) }
        }
    }

    /// See ``RunStore/recordRunIssue(_:run:)``.
    public func recordRunIssue(_ issue: RunIssue, run: UUID) async throws {
        try await write("record an issue of run \(run)") { connection in
            let found = try await connection.query(
                "SELECT 1 FROM run WHERE id = \(run.uuidString)", logger: self.logger
            ).collect()
            guard !found.isEmpty else { throw ArchiveStoreError.unknownRun("run \(run) was never started") }
            try await self.insert(issue, run: run, connection: connection)
        }
    }

    /// See ``RunStore/finishRun(_:status:counts:at:)``.
    public func finishRun(_ run: UUID, status: RunStatus, counts: [String: Int], at date: Date) async throws {
        let counts = try Self.countsJSON(counts)
        try await write("record the end of run \(run)") { connection in
            let updated = try await connection.query(
                """
                UPDATE run SET finished_at = \(ColumnDate.text(date)), status = \(status.rawValue), counts = \(counts)
                WHERE id = \(run.uuidString) RETURNING id
                """, logger: self.logger
            ).collect()
            guard updated.count == 1 else { throw ArchiveStoreError.unknownRun("run \(run) was never started") }
        }
    }

    /// See ``RunStore/runs(limit:)``.
    public func runs(limit: Int) async throws -> [RunRecord] {
        try await read("list runs") { connection in
            let runs = try await connection.query(
                """
                SELECT id, command, started_at, finished_at, status, counts FROM run
                ORDER BY started_at DESC, seq DESC LIMIT \(Int64(limit))
                """, logger: self.logger
            ).collect().map { try $0.decode((String, String, String, String?, String, String).self) }
            var records: [RunRecord] = []
            for (id, command, startedAt, finishedAt, status, countsText) in runs {
                let issues = try await connection.query(
                    """
                    SELECT kind, guild_id, channel_id, reason, at FROM run_issue WHERE run_id = \(id) ORDER BY id
                    """, logger: self.logger
                ).collect().map {
                    let (kind, guild, channel, reason, at) = try $0.decode(
                        (String, Int64?, Int64?, String, String).self)
                    return RunIssue(
                        kind: RunIssue.Kind(rawValue: kind) ?? .failed, guildId: guild.map { Snowflake(columnID: $0) },
                        channelId: channel.map { Snowflake(columnID: $0) }, reason: reason, at: ColumnDate.date(at))
                }
                let counts = (try? JSONDecoder().decode([String: Int].self, from: Data(countsText.utf8))) ?? [:]
                records.append(
                    RunRecord(
                        id: UUID(uuidString: id) ?? UUID(), command: command, startedAt: ColumnDate.date(startedAt),
                        finishedAt: ColumnDate.date(finishedAt), status: RunStatus(rawValue: status) ?? .running,
                        counts: counts, issues: issues))
            }
            return records
        }
    }

    func insert(_ issue: RunIssue, run: UUID, connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO run_issue (run_id, kind, guild_id, channel_id, reason, at)
            VALUES (\(run.uuidString), \(issue.kind.rawValue), \(issue.guildId.columnID()), \(issue.channelId.columnID()),
                \(pgText(issue.reason)), \(ColumnDate.text(issue.at)))
            """, logger: logger)
    }

    static func countsJSON(_ counts: [String: Int]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(counts), as: UTF8.self)
    }
}
