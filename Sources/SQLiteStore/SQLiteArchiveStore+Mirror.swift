import ArchiveStore
import DiscordModels
import Foundation
import GRDB

extension SQLiteArchiveStore: MirrorStore {
    /// Every mapping recorded for `target`.
    public func mirrorMappings(target: String) async throws -> [MirrorMapping] {
        try await selectMirror(target: target, where: "1 = 1", arguments: [], order: "kind, source_id, part")
    }

    /// See ``MirrorStore/mirrorObjectMappings(target:)``.
    public func mirrorObjectMappings(target: String) async throws -> [MirrorMapping] {
        try await selectMirror(
            target: target, where: "kind NOT LIKE 'message:%' AND kind NOT LIKE 'pin:%'", arguments: [],
            order: "kind, source_id, part")
    }

    /// See ``MirrorStore/mirrorMappings(target:kind:sourceIds:)``: one range of the primary key.
    public func mirrorMappings(target: String, kind: String, sourceIds: ClosedRange<UInt64>) async throws
        -> [MirrorMapping]
    {
        try await IDRangeRead(sourceIds).asyncRows { range, _ in
            try await selectMirror(
                target: target, where: "kind = ? AND source_id BETWEEN ? AND ?",
                arguments: [kind, range.lowerBound, range.upperBound], order: "source_id, part")
        }
    }

    /// See ``MirrorStore/latestMirrorMappings(target:kind:limit:)``.
    public func latestMirrorMappings(target: String, kind: String, limit: Int) async throws -> [MirrorMapping] {
        try await selectMirror(
            target: target, where: "kind = ?", arguments: [kind],
            order: "created_at DESC, target_id DESC LIMIT \(max(0, limit))")
    }

    private func selectMirror(target: String, where condition: String, arguments: StatementArguments, order: String)
        async throws -> [MirrorMapping]
    {
        let statementArguments: StatementArguments = [target] + arguments
        return try await writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT kind, source_id, part, target_id, extra, created_at FROM mirror_map
                    WHERE target = ? AND \(condition) ORDER BY \(order)
                    """, arguments: statementArguments
            ).map { row in
                MirrorMapping(
                    target: target, kind: row["kind"], sourceId: UInt64(bitPattern: row["source_id"]),
                    part: row["part"], targetId: UInt64(bitPattern: row["target_id"]), extra: row["extra"],
                    createdAt: Self.mirrorDate(row["created_at"]))
            }
        }
    }

    /// Records one mapping in its own transaction.
    public func recordMirrorMapping(_ mapping: MirrorMapping) async throws {
        let at = ColumnDate.text(now())
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO mirror_map (target, kind, source_id, part, target_id, extra, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    mapping.target, mapping.kind, Int64(bitPattern: mapping.sourceId), mapping.part,
                    Int64(bitPattern: mapping.targetId), mapping.extra, at,
                ])
        }
    }

    /// A `created_at` of the mirror map: column text (older rows: ISO 8601 in whole seconds).
    static func mirrorDate(_ text: String?) -> Date? {
        guard let text else { return nil }
        return DiscordTimestamp.parse(text) ?? ISO8601DateFormatter().date(from: text)
    }
}
