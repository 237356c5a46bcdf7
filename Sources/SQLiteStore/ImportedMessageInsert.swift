import ArchiveStore
import Foundation
import GRDB
import GRDBSQLite

/// The direct import's insert of one `imported_message` row, bound through the SQLite C API straight from the
/// record (ids as integers, the JSON text from its bytes without a `String` in between): the import's hot path.
/// The columns every row shares (`imported_at`, `updated_at`, `exported_at`) are bound once. The author is indexed
/// from the bytes the reader saw (``ImportedMessage/authorRange``, see ``ImportedMessageAuthors``): its id bound
/// as the row's `author_id`, its names recorded once per distinct author object; the rows without them are filled
/// from their JSON after each batch (``fillAuthors()``).
struct ImportedMessageInsert {
    private let statement: Statement
    private let recordNames: Statement
    private let db: Database
    private let connection: SQLiteConnection?
    /// The author objects whose names were recorded, by the hash of their bytes (a few hundred per file; started
    /// again past ``authorsRemembered``, which only costs their names recorded again).
    private var recordedAuthors: [Int: [UInt8]] = [:]
    /// The rowids inserted without an author id from the reader, filled from their JSON by ``fillAuthors()``.
    private var unfilled: ClosedRange<Int64>?
    private static let authorsRemembered = 4_096

    /// Prepares the insert on `db` for rows imported at `now` from a file exported at `exportedAt`.
    init(db: Database, now: String, exportedAt: Int64?) throws {
        statement = try db.makeStatement(
            sql: """
                INSERT INTO imported_message (id, channel_id, guild_id, timestamp, json, imported_at, updated_at,
                    exported_at, author_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (channel_id, id) DO NOTHING
                """)
        recordNames = try db.makeStatement(sql: ImportedMessageAuthors.recordNames(json: "?1", path: "$"))
        self.db = db
        connection = db.sqliteConnection
        let handle = statement.sqliteStatement
        try check(now.withCString { sqlite3_bind_text(handle, 6, $0, -1, Self.transient) })
        try check(now.withCString { sqlite3_bind_text(handle, 7, $0, -1, Self.transient) })
        try check(exportedAt.map { sqlite3_bind_int64(handle, 8, $0) } ?? sqlite3_bind_null(handle, 8))
    }

    /// Inserts `message` unless the archive holds its id in its channel already.
    /// - Returns: whether a row was inserted.
    /// - Throws: ``ArchiveStoreError/invalidJSON(_:)`` for JSON that is not UTF-8, or the database's error.
    mutating func insert(_ message: ImportedMessage) throws -> Bool {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        try check(sqlite3_bind_int64(handle, 1, message.id.columnID))
        try check(sqlite3_bind_int64(handle, 2, message.channelId.columnID))
        try check(message.guildId.map { sqlite3_bind_int64(handle, 3, $0.columnID) } ?? sqlite3_bind_null(handle, 3))
        if let timestamp = message.timestamp {
            try check(timestamp.withCString { sqlite3_bind_text(handle, 4, $0, -1, Self.transient) })
        } else {
            try check(sqlite3_bind_null(handle, 4))
        }
        return try message.json.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            guard Self.isUTF8(bytes) else {
                throw ArchiveStoreError.invalidJSON(
                    "imported message \(message.id) is not UTF-8 JSON text; nothing of the batch was stored")
            }
            // Bound in place: the bytes outlive the step, which is the only use of the binding.
            if let text = bytes.baseAddress?.assumingMemoryBound(to: CChar.self) {
                try check(sqlite3_bind_text(handle, 5, text, Int32(bytes.count), nil))
            } else {
                try check("".withCString { sqlite3_bind_text(handle, 5, $0, 0, Self.transient) })
            }
            let author = message.authorRange.flatMap { range in
                range.lowerBound >= 0 && range.upperBound <= bytes.count
                    ? UnsafeRawBufferPointer(rebasing: bytes[range]) : nil
            }
            let authorId = author.flatMap(Self.plainId)
            if let authorId, let text = authorId.baseAddress?.assumingMemoryBound(to: CChar.self) {
                try check(sqlite3_bind_text(handle, 9, text, Int32(authorId.count), nil))
            } else {
                try check(sqlite3_bind_null(handle, 9))
            }
            defer {
                sqlite3_bind_null(handle, 5)
                sqlite3_bind_null(handle, 9)
            }
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else { throw error(code) }
            guard sqlite3_changes(connection) == 1 else { return false }
            if authorId != nil, let author {
                try recordNamesOnce(of: author)
            } else {
                let row = sqlite3_last_insert_rowid(connection)
                unfilled = unfilled.map { min($0.lowerBound, row)...max($0.upperBound, row) } ?? row...row
            }
            return true
        }
    }

    /// Fills the author of the rows inserted without one from the reader (a message without an `author` object, or
    /// one rewritten after reading), from their JSON: once per batch, not per row.
    mutating func fillAuthors() throws {
        guard let rows = unfilled else { return }
        unfilled = nil
        try ImportedMessageAuthors.fill(db, rowIDs: rows)
    }

    /// Records the names of the author object `author` (its bytes), unless this insert recorded them already.
    private mutating func recordNamesOnce(of author: UnsafeRawBufferPointer) throws {
        var hasher = Hasher()
        hasher.combine(bytes: author)
        let key = hasher.finalize()
        if let seen = recordedAuthors[key], seen.count == author.count,
            seen.withUnsafeBytes({ memcmp($0.baseAddress!, author.baseAddress!, author.count) }) == 0
        {
            return
        }
        if recordedAuthors.count >= Self.authorsRemembered { recordedAuthors.removeAll(keepingCapacity: true) }
        recordedAuthors[key] = Array(author)
        let handle = recordNames.sqliteStatement
        sqlite3_reset(handle)
        guard let text = author.baseAddress?.assumingMemoryBound(to: CChar.self) else { return }
        try check(sqlite3_bind_text(handle, 1, text, Int32(author.count), nil))
        defer { sqlite3_bind_null(handle, 1) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// The `id` of an author object written compact with `id` first (`{"id":"…"`, as DCE writes every author), when
    /// it is a string without escapes: its bytes are then exactly what `json_extract(…, '$.id')` gives. `nil`
    /// otherwise (``ImportedMessageAuthors/fill(_:rowIDs:chunk:)`` reads it from the JSON).
    static func plainId(of author: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        let prefix: StaticString = "{\"id\":\""
        let count = prefix.utf8CodeUnitCount
        guard author.count > count, memcmp(author.baseAddress!, prefix.utf8Start, count) == 0 else { return nil }
        var end = count
        while end < author.count {
            switch author[end] {
            case UInt8(ascii: "\""): return end > count ? UnsafeRawBufferPointer(rebasing: author[count..<end]) : nil
            case UInt8(ascii: "\\"): return nil
            default: end += 1
            }
        }
        return nil
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw error(code) }
    }

    private func error(_ code: Int32) -> DatabaseError {
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }

    /// Whether `bytes` are UTF-8: ASCII (the common case) checked a word at a time, the rest by the standard
    /// library's validation.
    private static func isUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                return String(validating: bytes, as: UTF8.self) != nil
            }
            index += 8
        }
        while index < count {
            if bytes[index] >= 0x80 { return String(validating: bytes, as: UTF8.self) != nil }
            index += 1
        }
        return true
    }

    /// SQLite copies a text bound with this destructor (`SQLITE_TRANSIENT`).
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
}
