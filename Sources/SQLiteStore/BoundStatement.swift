import DiscordModels
import Foundation
import GRDB
import GRDBSQLite

/// One of the writer's hot statements executed straight through SQLite's C API: values are bound by position with
/// `sqlite3_bind_*` (no `StatementArguments`, no `DatabaseValue` box per value, no array of existentials per row),
/// then the statement is stepped and reset. The statement is GRDB's cached one, so it is prepared once per
/// connection; it is only ever executed through this type.
///
/// ```swift
/// var insert = try BoundStatement(db, sql: "INSERT INTO t (a, b) VALUES (?, ?)")
/// insert.bind(42, at: 1)
/// insert.bind(text: "x", at: 2)
/// try insert.execute()
/// ```
struct BoundStatement {
    /// SQLite copies a value bound with this destructor before the bind call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private let statement: Statement
    private let handle: OpaquePointer
    private let connection: OpaquePointer?

    /// The cached statement of `sql` on `db`, reset: GRDB leaves a statement it executed as it ended, and SQLite
    /// refuses a binding to a statement that is not reset (the value would silently stay the old one).
    init(_ db: Database, sql: String) throws {
        statement = try db.cachedStatement(sql: sql)
        handle = statement.sqliteStatement
        connection = db.sqliteConnection
        sqlite3_reset(handle)
    }

    /// Binds an integer, or NULL.
    func bind(_ value: Int64?, at index: Int32) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds an integer.
    func bind(_ value: Int, at index: Int32) { sqlite3_bind_int64(handle, index, Int64(value)) }

    /// Binds a boolean as 0 or 1.
    func bind(_ value: Bool, at index: Int32) { sqlite3_bind_int(handle, index, value ? 1 : 0) }

    /// Binds a text (its UTF-8, copied by SQLite), or NULL.
    func bind(text: String?, at index: Int32) {
        guard var text else {
            sqlite3_bind_null(handle, index)
            return
        }
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                // A null pointer would bind NULL: the empty text is bound from a literal.
                sqlite3_bind_text(handle, index, "", 0, Self.transient)
                return
            }
            base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                _ = sqlite3_bind_text(handle, index, $0, Int32(bytes.count), Self.transient)
            }
        }
    }

    /// Binds UTF-8 bytes as a text (copied by SQLite; the caller vouches that they are UTF-8).
    func bind(utf8 bytes: UnsafeRawBufferPointer, at index: Int32) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            sqlite3_bind_text(handle, index, "", 0, Self.transient)
            return
        }
        sqlite3_bind_text(
            handle, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
    }

    /// Binds UTF-8 bytes as a text without copying them, for the duration of `body` only (which executes the
    /// statement); the parameter is bound to NULL again before this returns, so SQLite never holds the pointer past
    /// the bytes' lifetime. The caller vouches that they are UTF-8.
    func withText<T>(utf8 bytes: UnsafeRawBufferPointer, at index: Int32, _ body: () throws -> T) rethrows -> T {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            bind(utf8: bytes, at: index)
            return try body()
        }
        // No destructor (`SQLITE_STATIC`): SQLite reads the bytes where they are for as long as they stay bound.
        sqlite3_bind_text(handle, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
        defer { sqlite3_bind_null(handle, index) }
        return try body()
    }

    /// Binds a text without copying its UTF-8, for the duration of `body` only (see
    /// ``withText(utf8:at:_:)``).
    func withText<T>(_ text: String, at index: Int32, _ body: () throws -> T) rethrows -> T {
        var text = text
        return try text.withUTF8 { try withText(utf8: UnsafeRawBufferPointer($0), at: index, body) }
    }

    /// Binds a message's text without copying it, for the duration of `body` only (see ``withText(utf8:at:_:)``):
    /// its bytes in `json` (the message's JSON) when it has no escape, else unescaped into a temporary buffer. An
    /// absent text binds NULL, or the empty text when `orEmpty`.
    func withText<T>(
        _ text: IndexedText?, in json: UnsafeRawBufferPointer, orEmpty: Bool = false, at index: Int32,
        _ body: () throws -> T
    ) rethrows -> T {
        guard let text else {
            if orEmpty {
                bind(utf8: UnsafeRawBufferPointer(start: nil, count: 0), at: index)
            } else {
                sqlite3_bind_null(handle, index)
            }
            return try body()
        }
        return try text.withUTF8(in: json) { try withText(utf8: $0, at: index, body) }
    }

    /// Runs the statement to completion and resets it (bindings are replaced by the next row's).
    /// - Throws: `DatabaseError` with SQLite's code and message.
    func execute() throws {
        _ = try step()
        sqlite3_reset(handle)
    }

    /// The rowid of the row the connection's last successful INSERT added (SQLite's own, without GRDB's check of
    /// the calling queue: this runs once per archived message).
    var lastInsertedRowID: Int64 { sqlite3_last_insert_rowid(connection) }

    // MARK: Reading rows

    /// Steps to the next row: `true` on a row (read it with the column accessors), `false` when there is none.
    /// - Throws: `DatabaseError` with SQLite's code and message (the statement is reset).
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            let message = connection.map { String(cString: sqlite3_errmsg($0)) }
            sqlite3_reset(handle)
            throw DatabaseError(
                resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)), message: message,
                sql: statement.sql)
        }
        return code == SQLITE_ROW
    }

    /// Resets the statement and clears its bindings, for the next use of the cached statement.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Whether a column of the current row is NULL.
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// An integer column of the current row (0 for NULL).
    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// A column's bytes, valid until the statement steps or resets (empty for NULL).
    func bytes(_ column: Int32) -> UnsafeRawBufferPointer {
        // The pointer first, then the count (SQLite's documented order).
        let base = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let base, count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base, count: count)
    }

    /// A text column as a `String`, or `nil` for NULL.
    func text(_ column: Int32) -> String? {
        isNull(column) ? nil : String(decoding: bytes(column), as: UTF8.self)
    }
}
