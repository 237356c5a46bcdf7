import ArchiveStore
import Foundation
import GRDB

// Table-level copy for `skald migrate-store` (added by the PostgreSQL helper; see ArchiveTransfer).
extension SQLiteArchiveStore {
    /// See ``ArchiveTransfer/readRows(of:after:limit:)``.
    public func readRows(of table: ArchiveTable, after: [ArchiveValue]?, limit: Int) async throws -> [[ArchiveValue]] {
        // A message's JSON as Discord sent it, its author object put back (see ``MessageAuthors``).
        let columns = table.columns.map {
            table.name == "message" && $0.name == "json" ? MessageAuthors.json(of: "message") : $0.name
        }.joined(separator: ", ")
        var sql = "SELECT \(columns) FROM \(table.name)"
        var arguments: [(any DatabaseValueConvertible)?] = []
        if table.key.isEmpty {
            sql += " ORDER BY rowid"
        } else {
            if let after, after.count == table.key.count {
                let marks = Array(repeating: "?", count: after.count).joined(separator: ", ")
                sql += " WHERE (\(table.key.joined(separator: ", "))) > (\(marks))"
                arguments = after.map(Self.databaseValue)
            }
            sql += " ORDER BY \(table.key.joined(separator: ", ")) LIMIT \(max(1, limit))"
        }
        let statementArguments = StatementArguments(arguments)
        let query = sql
        return try await read("read table \(table.name)") { db in
            try Row.fetchAll(db, sql: query, arguments: statementArguments).map { row in
                (0..<table.columns.count).map { index in
                    switch row[index] as DatabaseValue {
                    case let value where value.isNull: .null
                    case let value:
                        switch value.storage {
                        case .int64(let int): .integer(int)
                        case .string(let text): .text(text)
                        case .double(let double): .integer(Int64(double))
                        case .blob(let data): .text(String(decoding: data, as: UTF8.self))
                        case .null: .null
                        }
                    }
                }
            }
        }
    }

    /// See ``ArchiveTransfer/writeRows(_:into:)``.
    public func writeRows(_ rows: [[ArchiveValue]], into table: ArchiveTable) async throws {
        guard !rows.isEmpty else { return }
        let names = table.columns.map(\.name)
        let sql =
            "INSERT INTO \(table.name) (\(names.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
        let index: MessageSearchFeed.Index? =
            table.name == "message" ? .archived : table.name == "imported_message" ? .imported : nil
        try await write("write table \(table.name)") { db in
            let statement = try db.cachedStatement(sql: sql)
            // Messages enter their full-text index as the writers' do (no trigger feeds it).
            var search = MessageSearchFeed(index ?? .archived)
            var inserted: ClosedRange<Int64>?
            for row in rows {
                try statement.execute(arguments: StatementArguments(row.map(Self.databaseValue)))
                if index != nil { search.inserted(db.lastInsertedRowID) }
                let rowID = db.lastInsertedRowID
                inserted = inserted.map { min($0.lowerBound, rowID)...max($0.upperBound, rowID) } ?? rowID...rowID
            }
            try search.flush(db)
            // Imported authors are read from the JSON, as the staged import reads them (``ImportedMessageAuthors``).
            if table.name == "imported_message", let inserted { try ImportedMessageAuthors.fill(db, rowIDs: inserted) }
        }
    }

    /// See ``ArchiveTransfer/finishTransfer()``.
    public func finishTransfer() async throws {}

    static func databaseValue(_ value: ArchiveValue) -> (any DatabaseValueConvertible)? {
        switch value {
        case .null: nil
        case .integer(let int): int
        case .text(let text): text
        }
    }
}
