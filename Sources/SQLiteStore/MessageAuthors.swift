import Foundation
import GRDB

/// The author objects of archived messages, each kept once in `author_json` for every message that shows it
/// byte for byte. A message row written by the archive keeps its JSON with the author object replaced by `null`
/// (`author_ref` names the author row, `author_at` is the byte offset of that `null`); every reader gets the JSON
/// exactly as Discord sent it back through ``json(of:)``. The author object is about a third of a message's JSON
/// and the same for all of one user's messages until the profile changes, so the archive is about a quarter
/// smaller and the writer writes that much less.
///
/// Rows written before the migration, rows updated by an edit, and rows copied in by `migrate-store` keep their
/// JSON whole (`author_ref` NULL): both forms are read the same way.
///
/// One instance serves one write transaction: the authors it looked up are remembered only for it, so a rolled
/// back transaction leaves nothing behind. A value owned by its ``MessageWriter`` (no class: its state is read and
/// written for every archived message, and a class's stored properties are checked for exclusive access at run
/// time at each use).
struct MessageAuthors {
    /// The SQLite-only migration that adds the table and the two columns.
    static let migration = "sqlite-v8-message-author-once"

    /// The statements of ``migration``. Existing rows keep their whole JSON.
    static let schema = [
        "CREATE TABLE author_json (id INTEGER PRIMARY KEY, json TEXT NOT NULL UNIQUE)",
        "ALTER TABLE message ADD COLUMN author_ref INTEGER",
        "ALTER TABLE message ADD COLUMN author_at INTEGER",
    ]

    /// An SQL expression for the JSON of the message row of `table` (a table name or alias), exactly as sent.
    /// Byte offsets: `substr` of a BLOB counts bytes, and `||` joins the parts' bytes as text.
    static func json(of table: String) -> String {
        """
        CASE WHEN \(table).author_ref IS NULL THEN \(table).json ELSE (SELECT \
        substr(CAST(\(table).json AS BLOB), 1, \(table).author_at) || author_json.json \
        || substr(CAST(\(table).json AS BLOB), \(table).author_at + 5) \
        FROM author_json WHERE author_json.id = \(table).author_ref) END
        """
    }

    /// An SQL expression for a member of the author object of the message row of `table` (`path` relative to the
    /// author, e.g. `$.bot`), whichever form the row has.
    static func authorMember(_ path: String, of table: String) -> String {
        """
        CASE WHEN \(table).author_ref IS NULL THEN json_extract(\(table).json, '$.author\(path.dropFirst())') \
        ELSE (SELECT json_extract(author_json.json, '\(path)') FROM author_json \
        WHERE author_json.id = \(table).author_ref) END
        """
    }

    private let db: Database
    /// The author objects this transaction looked up or added, by their bytes (a user's earlier profiles, and
    /// authors whose id the scanner could not read).
    private var known: [Data: Int64] = [:]
    /// The author object last written for each user id, with its `author_json` id: most messages show their
    /// author exactly as the previous message of that user did, so a byte comparison with that one object finds
    /// the reference without hashing the ≈ 400 bytes of every message's author.
    private var lastByUser: [UInt64: (author: Data, reference: Int64)] = [:]
    /// The JSON of the message being written, its author replaced (reused between messages).
    private var stripped: [UInt8] = []

    /// Authors for one write transaction on `db`.
    init(db: Database) {
        self.db = db
    }

    /// Calls `body` with the JSON to store for a message whose author object occupies `range` of `json` (the
    /// author replaced by `null`), the `author_ref` and the `author_at` to store with it. `user` is the author's
    /// id when known (it only speeds up finding the reference; the object's bytes decide).
    mutating func withStripped<T>(
        _ json: Data, authorAt range: Range<Int>, user: UInt64? = nil,
        _ body: (UnsafeRawBufferPointer, Int64, Int) throws -> T
    ) throws -> T {
        try json.withUnsafeBytes { bytes in
            let author = UnsafeRawBufferPointer(rebasing: bytes[range])
            let reference: Int64
            if let user, let last = lastByUser[user], Self.same(last.author, author) {
                reference = last.reference
            } else {
                let object = json[json.startIndex + range.lowerBound..<json.startIndex + range.upperBound]
                reference = try self.reference(object)
                if let user { lastByUser[user] = (object, reference) }
            }
            stripped.removeAll(keepingCapacity: true)
            stripped.append(contentsOf: bytes[..<range.lowerBound])
            stripped.append(contentsOf: "null".utf8)
            stripped.append(contentsOf: bytes[range.upperBound...])
            return try stripped.withUnsafeBytes { try body($0, reference, range.lowerBound) }
        }
    }

    /// Whether `data` holds exactly the bytes of `bytes`.
    private static func same(_ data: Data, _ bytes: UnsafeRawBufferPointer) -> Bool {
        data.count == bytes.count
            && data.withUnsafeBytes { known in
                bytes.isEmpty || memcmp(known.baseAddress!, bytes.baseAddress!, bytes.count) == 0
            }
    }

    /// The `author_json` id of an author object, added if the archive does not have it.
    private mutating func reference(_ author: Data) throws -> Int64 {
        if let id = known[author] { return id }
        let text = String(decoding: author, as: UTF8.self)
        let insert = try db.cachedStatement(
            sql: "INSERT INTO author_json (json) VALUES (?) ON CONFLICT (json) DO NOTHING")
        try insert.execute(arguments: [text])
        let select = try db.cachedStatement(sql: "SELECT id FROM author_json WHERE json = ?")
        guard let id = try Int64.fetchOne(select, arguments: [text]) else {
            throw DatabaseError(message: "the author object just stored was not found")
        }
        known[Data(author)] = id
        return id
    }
}
