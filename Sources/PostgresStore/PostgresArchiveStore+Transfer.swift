import ArchiveStore
import Foundation
import PostgresNIO

// Table-level copy for `skald migrate-store` (see ``ArchiveTransfer``).
extension PostgresArchiveStore {
    /// Tables whose `id` is an identity column: copied ids are kept (`OVERRIDING SYSTEM VALUE`) and the sequence is
    /// moved past them by ``finishTransfer()``.
    static let identityTables = ["object_history", "message_revision", "run_issue", "imported_revision"]

    /// See ``ArchiveTransfer/readRows(of:after:limit:)``.
    public func readRows(of table: ArchiveTable, after: [ArchiveValue]?, limit: Int) async throws -> [[ArchiveValue]] {
        // Text keys compare byte-wise (COLLATE "C"), as SQLite's BINARY collation does, so both backends page alike.
        func keyExpression(_ name: String) -> String {
            table.columns.first { $0.name == name }?.type == .text ? "\(name) COLLATE \"C\"" : name
        }
        let selected = table.columns.map { column -> String in
            switch column.type {
            case .integer: "\(column.name)::bigint"
            case .boolean: "\(column.name)::int::bigint"
            case .text: column.name
            // A message's JSON as Discord sent it, its author object put back (see ``PostgresMessageAuthors``).
            case .json where table.name == "message" && column.name == "json":
                PostgresMessageAuthors.json(of: "message")
            case .json: "\(column.name)::text"
            }
        }
        var builder = SQLBuilder()
        builder.append("SELECT \(selected.joined(separator: ", ")) FROM \(table.name)")
        if table.key.isEmpty {
            builder.append(table.name == "run" ? " ORDER BY seq" : "")
        } else {
            if let after, after.count == table.key.count {
                builder.append(" WHERE (\(table.key.map(keyExpression).joined(separator: ", "))) > (")
                for (index, (name, value)) in zip(table.key, after).enumerated() {
                    if index > 0 { builder.append(", ") }
                    let type = table.columns.first { $0.name == name }?.type ?? .integer
                    switch (type, value) {
                    case (.boolean, .integer(let int)): builder.bind(int != 0)
                    case (_, .integer(let int)): builder.bind(int)
                    case (_, .text(let text)): builder.bind(text)
                    case (_, .null): builder.bind(Optional<String>.none)
                    }
                }
                builder.append(")")
            }
            builder.append(" ORDER BY \(table.key.map(keyExpression).joined(separator: ", ")) LIMIT ")
            builder.bind(Int64(max(1, limit)))
        }
        let query = builder.query
        return try await read("read table \(table.name)") { connection in
            try await connection.query(query, logger: self.logger).collect().map { row in
                var values: [ArchiveValue] = []
                values.reserveCapacity(table.columns.count)
                for (cell, column) in zip(row, table.columns) {
                    switch column.type {
                    case .integer, .boolean: values.append(try cell.decode(Int64?.self).map { .integer($0) } ?? .null)
                    case .text, .json: values.append(try cell.decode(String?.self).map { .text($0) } ?? .null)
                    }
                }
                return values
            }
        }
    }

    /// See ``ArchiveTransfer/writeRows(_:into:)``.
    public func writeRows(_ rows: [[ArchiveValue]], into table: ArchiveTable) async throws {
        guard !rows.isEmpty else { return }
        // One multi-row statement per batch: every column travels as one array.
        var builder = SQLBuilder()
        let names = table.columns.map(\.name)
        let overriding = Self.identityTables.contains(table.name) ? " OVERRIDING SYSTEM VALUE" : ""
        let outputs = table.columns.map { column -> String in
            switch column.type {
            case .json: "\(column.name)::json"
            case .boolean: "\(column.name) <> 0"
            default: column.name
            }
        }
        builder.append(
            "INSERT INTO \(table.name) (\(names.joined(separator: ", ")))\(overriding) SELECT "
                + outputs.joined(separator: ", ") + " FROM unnest(")
        for (index, column) in table.columns.enumerated() {
            if index > 0 { builder.append(", ") }
            switch column.type {
            case .integer, .boolean:
                builder.bind(
                    NullableArray(
                        rows.map { row -> Int64? in
                            if case .integer(let value) = row[index] { return value }
                            if case .text(let text) = row[index] { return Int64(text) }
                            return nil
                        }), cast: "::bigint[]")
            case .text, .json:
                builder.bind(
                    NullableArray(
                        rows.map { row -> String? in
                            switch row[index] {
                            case .text(let text): column.type == .json ? text : pgText(text)
                            case .integer(let value): String(value)
                            case .null: nil
                            }
                        }), cast: "::text[]")
            }
        }
        builder.append(") AS t(\(names.joined(separator: ", ")))")
        let query = builder.query
        try await write("write table \(table.name)") { connection in
            try await connection.query(query, logger: self.logger)
        }
    }

    /// See ``ArchiveTransfer/finishTransfer()``.
    public func finishTransfer() async throws {
        try await write("update identity sequences") { connection in
            for table in Self.identityTables {
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT setval(pg_get_serial_sequence('\(table)', 'id'),
                                GREATEST((SELECT max(id) FROM \(table)), 0) + 1, false)
                            """), logger: self.logger)
            }
        }
    }
}
