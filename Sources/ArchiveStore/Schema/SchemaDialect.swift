import Foundation

/// The SQL dialect a backend speaks: renders the shared ``ArchiveSchema`` into that backend's statements, so the
/// two backends hold the same tables, columns and meaning from one description.
public enum SchemaDialect: Sendable {
    /// SQLite (through GRDB).
    case sqlite
    /// PostgreSQL 15 or later.
    case postgresql

    /// The statements of `migration` in this dialect, in order, one SQL statement each.
    public func statements(for migration: SchemaMigration) -> [String] {
        migration.statements.flatMap(render)
    }

    /// The statements of one schema step in this dialect.
    public func render(_ statement: SchemaStatement) -> [String] {
        switch statement {
        case .table(let table):
            return [createTable(table)]
        case .index(let index):
            let predicate = index.predicate.map { " WHERE \($0)" } ?? ""
            return ["CREATE INDEX \(index.name) ON \(index.table) (\(list(index.columns)))\(predicate)"]
        case .addColumn(let table, let column):
            return ["ALTER TABLE \(table) ADD COLUMN \(definition(of: column, isKey: false))"]
        case .dialectSpecific(let sqlite, let postgresql):
            return self == .sqlite ? sqlite : postgresql
        }
    }

    private func createTable(_ table: SchemaTable) -> String {
        var lines: [String] = []
        var keyClause = table.primaryKey.count > 1 ? "PRIMARY KEY (\(list(table.primaryKey)))" : nil
        switch self {
        case .sqlite:
            if let alias = table.sqliteRowIDAlias {
                lines.append("\(alias) INTEGER PRIMARY KEY")
                keyClause = table.primaryKey.isEmpty ? nil : "UNIQUE (\(list(table.primaryKey)))"
            }
        case .postgresql:
            if let order = table.postgresInsertionOrder {
                lines.append("\(order) bigint GENERATED ALWAYS AS IDENTITY")
            }
        }
        let inlineKey = table.primaryKey.count == 1 && !(self == .sqlite && table.sqliteRowIDAlias != nil)
        for column in table.columns {
            lines.append(definition(of: column, isKey: inlineKey && table.primaryKey[0] == column.name))
        }
        if let keyClause { lines.append(keyClause) }
        for key in table.foreignKeys {
            lines.append(
                "FOREIGN KEY (\(list(key.columns))) REFERENCES \(key.table) (\(list(key.referencedColumns)))")
        }
        let body = lines.map { "    " + $0 }.joined(separator: ",\n")
        let suffix = self == .sqlite && table.sqliteWithoutRowID ? " WITHOUT ROWID" : ""
        return "CREATE TABLE \(table.name) (\n\(body)\n)\(suffix)"
    }

    /// A column definition. A single-column primary key is written on its column and implies what `NOT NULL` would
    /// say (so it is not repeated, as the schema has always been written).
    private func definition(of column: SchemaColumn, isKey: Bool) -> String {
        var text = "\(column.name) \(typeName(column.type))"
        if isKey {
            text += " PRIMARY KEY"
        } else if column.isRequired && column.type != .identity {
            text += " NOT NULL"
        }
        if let value = column.defaultValue { text += " DEFAULT \(literal(value))" }
        return text
    }

    /// The SQL type. PostgreSQL keeps JSON as `json`, which stores the exact text it was given (key order,
    /// whitespace, number spelling, duplicate keys) after checking it is JSON, and which its operators query;
    /// `jsonb` would re-order keys and normalise the text, so the archive would stop being lossless and exports
    /// would differ from SQLite's byte for byte.
    private func typeName(_ type: SchemaColumnType) -> String {
        switch (self, type) {
        case (.sqlite, .snowflake), (.sqlite, .integer), (.sqlite, .bigInteger), (.sqlite, .boolean): "INTEGER"
        case (.sqlite, .text), (.sqlite, .json): "TEXT"
        case (.sqlite, .identity): "INTEGER PRIMARY KEY AUTOINCREMENT"
        case (.postgresql, .snowflake), (.postgresql, .bigInteger): "bigint"
        case (.postgresql, .integer): "integer"
        case (.postgresql, .text): "text"
        case (.postgresql, .boolean): "boolean"
        case (.postgresql, .json): "json"
        case (.postgresql, .identity): "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        }
    }

    private func literal(_ value: SchemaDefault) -> String {
        switch value {
        case .integer(let number): String(number)
        case .boolean(let flag): self == .sqlite ? (flag ? "1" : "0") : (flag ? "true" : "false")
        case .text(let text): "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        }
    }

    private func list(_ names: [String]) -> String { names.joined(separator: ", ") }
}
