import ArchiveStore
import DiscordModels
import Foundation
import Logging
import PostgresNIO

/// Executes ``ObjectWriteStep``s inside a PostgreSQL transaction: the decision is ``ObjectUpsert``'s (the same as
/// the SQLite backend's), the statements are this dialect's (rows locked with `FOR UPDATE`, JSON cast to `json`).
struct PostgresObjectWriter {
    let connection: PostgresConnection
    let logger: Logger
    let nowText: String

    /// Executes `steps` in order and sums what they changed.
    func execute(_ steps: [ObjectWriteStep]) async throws -> ObjectChanges {
        var total = ObjectChanges()
        for step in steps {
            let changes: ObjectChanges
            switch step {
            case .upsert(let row): changes = try await upsert(row)
            case .unchanged: changes = ObjectChanges(unchanged: 1)
            case .tombstoneMissing(let kind, let guild, let ids, let onlyNonThreads):
                changes = try await tombstoneMissing(kind, guild: guild, keeping: ids, onlyNonThreads: onlyNonThreads)
            }
            total = total + changes
        }
        return total
    }

    private func bind(_ value: ColumnValue, into builder: inout SQLBuilder) {
        switch value {
        case .int(let v): builder.bind(v)
        case .text(let v): builder.bind(v.map(pgText))
        case .bool(let v): builder.bind(v)
        }
    }

    func upsert(_ object: ObjectRow) async throws -> ObjectChanges {
        let table = object.kind.table
        let json = try jsonText(object.json, what: "\(object.kind.rawValue) \(UInt64(bitPattern: object.id))")
        let rows = try await connection.query(
            "SELECT json::text AS json, changed_at, deleted_at FROM \(unescaped: table) WHERE id = \(object.id) FOR UPDATE",
            logger: logger
        ).collect()
        let row = rows.first?.makeRandomAccess()
        let stored = try row.map {
            ObjectUpsert.Stored(json: try $0.get("json"), deleted: try $0.get("deleted_at", as: String?.self) != nil)
        }
        let decision = ObjectUpsert.decide(stored: stored, json: json, data: object.json, kind: object.kind)
        var statement = SQLBuilder()
        switch decision {
        case .unchanged:
            return decision.changes
        case .insert:
            let names = object.columns.map(\.name) + ["id", "json", "first_seen_at", "changed_at", "updated_at"]
            statement.append("INSERT INTO \(table) (\(names.joined(separator: ", "))) VALUES (")
            for column in object.columns {
                bind(column.value, into: &statement)
                statement.append(", ")
            }
            statement.bind(object.id)
            statement.append(", ")
            statement.bind(json, cast: "::json")
            for _ in 0..<3 {
                statement.append(", ")
                statement.bind(nowText)
            }
            statement.append(")")
        case .refresh, .change:
            if decision == .change, let row, let stored {
                let validFrom = try row.get("changed_at", as: String.self)
                try await connection.query(
                    """
                    INSERT INTO object_history (kind, object_id, json, valid_from, replaced_at)
                    VALUES (\(object.kind.rawValue), \(object.id), \(stored.json)::json, \(validFrom), \(nowText))
                    """, logger: logger)
            }
            statement.append("UPDATE \(table) SET ")
            for column in object.columns {
                statement.append(column.keepWhenNull ? "\(column.name) = COALESCE(" : "\(column.name) = ")
                bind(column.value, into: &statement)
                statement.append(column.keepWhenNull ? ", \(column.name)), " : ", ")
            }
            statement.append("json = ")
            statement.bind(json, cast: "::json")
            statement.append(", updated_at = ")
            statement.bind(nowText)
            statement.append(", deleted_at = NULL")
            if decision == .change {
                statement.append(", changed_at = ")
                statement.bind(nowText)
            }
            statement.append(" WHERE id = ")
            statement.bind(object.id)
        }
        try await connection.query(statement.query, logger: logger)
        return decision.changes
    }

    /// Tombstones the objects of `kind` in `guild` whose ids are not in `keeping`.
    func tombstoneMissing(
        _ kind: ObjectKind, guild: Snowflake<Guild>, keeping ids: [Int64], onlyNonThreads: Bool
    ) async throws -> ObjectChanges {
        var builder = SQLBuilder()
        builder.append("UPDATE \(kind.table) SET deleted_at = ")
        builder.bind(nowText)
        builder.append(" WHERE guild_id = ")
        builder.bind(guild.columnID)
        builder.append(" AND deleted_at IS NULL\(onlyNonThreads ? " AND NOT is_thread" : "") AND NOT (id = ANY(")
        builder.bind(ids, cast: "::bigint[]")
        builder.append(")) RETURNING id")
        let rows = try await connection.query(builder.query, logger: logger).collect()
        return ObjectChanges(tombstoned: rows.count)
    }
}
