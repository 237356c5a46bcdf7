import ArchiveStore
import DiscordModels
import Foundation
import GRDB

/// Executes ``ObjectWriteStep``s in SQLite: the decision is ``ObjectUpsert``'s, the SQL is this backend's.
struct ObjectWriter {
    let db: Database
    let nowText: String

    /// Executes `steps` in order and sums what they changed.
    func execute(_ steps: [ObjectWriteStep]) throws -> ObjectChanges {
        var changes = ObjectChanges()
        for step in steps {
            switch step {
            case .upsert(let row): changes = changes + (try upsert(row))
            case .unchanged: changes = changes + ObjectChanges(unchanged: 1)
            case .tombstoneMissing(let kind, let guild, let ids, let onlyNonThreads):
                changes =
                    changes + (try tombstoneMissing(kind, guild: guild, keeping: ids, onlyNonThreads: onlyNonThreads))
            }
        }
        return changes
    }

    static func databaseValue(_ value: ColumnValue) -> (any DatabaseValueConvertible)? {
        switch value {
        case .int(let value): value
        case .text(let value): value
        case .bool(let value): value
        }
    }

    func upsert(_ object: ObjectRow) throws -> ObjectChanges {
        let table = object.kind.table
        let json = try jsonText(object.json, what: "\(object.kind.rawValue) \(UInt64(bitPattern: object.id))")
        let values = object.columns.map { Self.databaseValue($0.value) }
        let select = try db.cachedStatement(sql: "SELECT json, changed_at, deleted_at FROM \(table) WHERE id = ?")
        let row = try Row.fetchOne(select, arguments: [object.id])
        let stored = row.map { ObjectUpsert.Stored(json: $0["json"], deleted: ($0["deleted_at"] as String?) != nil) }
        let decision = ObjectUpsert.decide(stored: stored, json: json, data: object.json, kind: object.kind)
        switch decision {
        case .unchanged:
            break
        case .insert:
            let names = object.columns.map(\.name) + ["id", "json", "first_seen_at", "changed_at", "updated_at"]
            let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
            try db.cachedStatement(sql: "INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (\(marks))")
                .execute(arguments: StatementArguments(values + [object.id, json, nowText, nowText, nowText]))
        case .refresh, .change:
            let meaningful = decision == .change
            if meaningful, let row {
                try db.cachedStatement(
                    sql: """
                        INSERT INTO object_history (kind, object_id, json, valid_from, replaced_at)
                        VALUES (?, ?, ?, ?, ?)
                        """
                ).execute(arguments: [
                    object.kind.rawValue, object.id, row["json"] as String, row["changed_at"] as String, nowText,
                ])
            }
            let assignments =
                object.columns.map { $0.keepWhenNull ? "\($0.name) = COALESCE(?, \($0.name))" : "\($0.name) = ?" }
                + ["json = ?", "updated_at = ?", "deleted_at = NULL"] + (meaningful ? ["changed_at = ?"] : [])
            try db.cachedStatement(sql: "UPDATE \(table) SET \(assignments.joined(separator: ", ")) WHERE id = ?")
                .execute(
                    arguments: StatementArguments(
                        values + [json, nowText] + (meaningful ? [nowText] : []) + [object.id]))
        }
        return decision.changes
    }

    /// Tombstones the objects of `kind` in `guild` whose ids are not in `keeping`.
    func tombstoneMissing(
        _ kind: ObjectKind, guild: Snowflake<Guild>, keeping ids: [Int64], onlyNonThreads: Bool
    ) throws -> ObjectChanges {
        let idList = "[" + ids.map(String.init).joined(separator: ",") + "]"
        try db.execute(
            sql: """
                UPDATE \(kind.table) SET deleted_at = ?
                WHERE guild_id = ? AND deleted_at IS NULL \(onlyNonThreads ? "AND is_thread = 0" : "")
                    AND id NOT IN (SELECT value FROM json_each(?))
                """,
            arguments: [nowText, guild.columnID, idList])
        return ObjectChanges(tombstoned: db.changesCount)
    }
}
