import Foundation
import PostgresNIO

/// The author objects of archived messages, each kept once in `author_json` for every message that shows it byte
/// for byte, as the SQLite backend does since `sqlite-v8-message-author-once`. A message row inserted by the
/// archive keeps its JSON with the author object replaced by `null` (`author_ref` names the author row, `author_at`
/// is the **character** offset of that `null`, since PostgreSQL's text functions count characters); every reader
/// gets the JSON exactly as Discord sent it back through ``json(of:)``. The author object is about a third of a
/// simulator message's JSON, so the table is that much smaller and the server writes that much less.
///
/// Rows written before the migration, rows updated by an edit, and rows copied in by `migrate-store` keep their
/// JSON whole (`author_ref` NULL): both forms are read the same way.
enum PostgresMessageAuthors {
    /// The PostgreSQL-only migration that adds the table and the two columns.
    static let migration = "pg-v2-message-author-once"

    /// The statements of ``migration``. Existing rows keep their whole JSON. Author objects are found by the MD5
    /// of their text (a B-tree entry of the whole text would refuse an object over ≈ 2.7 kB) and compared whole.
    static let schema = [
        "CREATE TABLE author_json (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, json text NOT NULL)",
        "CREATE UNIQUE INDEX author_json_key ON author_json (md5(json))",
        "ALTER TABLE message ADD COLUMN author_ref bigint, ADD COLUMN author_at integer",
    ]

    /// An SQL expression for the JSON text of the message row of `table` (a table name or alias), exactly as sent.
    static func json(of table: String) -> String {
        """
        CASE WHEN \(table).author_ref IS NULL THEN \(table).json::text ELSE (SELECT \
        overlay(\(table).json::text PLACING author_json.json FROM \(table).author_at + 1 FOR 4) \
        FROM author_json WHERE author_json.id = \(table).author_ref) END
        """
    }

    /// An SQL expression (text) for a member of the author object of the message row of `table` (e.g. `bot`),
    /// whichever form the row has.
    static func authorMember(_ key: String, of table: String) -> String {
        """
        CASE WHEN \(table).author_ref IS NULL THEN \(table).json::json->'author'->>'\(key)' \
        ELSE (SELECT author_json.json::json->>'\(key)' FROM author_json \
        WHERE author_json.id = \(table).author_ref) END
        """
    }

    /// The character offset of the `null` standing for the author object at byte `offset` of a message's JSON
    /// `bytes` (the JSON is stored with the object replaced by `null`, see ``ArrayColumn/append(_:replacing:with:)``):
    /// every byte before it but UTF-8 continuation bytes starts a character.
    static func characterOffset(in bytes: UnsafeRawBufferPointer, at offset: Int) -> Int {
        offset - continuationBytes(in: UnsafeRawBufferPointer(rebasing: bytes[..<offset]))
    }

    /// The number of UTF-8 continuation bytes (`10xxxxxx`) in `bytes`, eight at a time.
    static func continuationBytes(in bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0
        var index = 0
        // A byte is a continuation byte when its top bit is set and the next one clear: per 8-byte word, the top
        // bits of `word & ~(word << 1)` mark them.
        while index + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            count += (word & ~(word << 1) & 0x8080_8080_8080_8080).nonzeroBitCount
            index += 8
        }
        while index < bytes.count {
            if bytes[index] & 0xC0 == 0x80 { count += 1 }
            index += 1
        }
        return count
    }
}

/// Adds the author objects a group of pages shows that the archive lacks and returns the id of each, in order (rows
/// `(position, id)`, positions from 1). An author added by a concurrent writer is found through the conflict (the
/// no-op update returns it); an MD5 shared by two different objects returns no row for it. Rows are added in MD5
/// order, so two writers adding the same authors wait for each other in one order (no deadlock).
struct UpsertAuthors: PostgresPreparedStatement {
    static let sql = """
        WITH t AS (SELECT json, n FROM unnest($1::text[]) WITH ORDINALITY AS t(json, n)),
        found AS (
            SELECT t.n, a.id FROM t JOIN author_json a ON md5(a.json) = md5(t.json) AND a.json = t.json),
        added AS (
            INSERT INTO author_json AS a (json) SELECT json FROM t WHERE n NOT IN (SELECT n FROM found)
            ORDER BY md5(json)
            ON CONFLICT ((md5(json))) DO UPDATE SET json = excluded.json WHERE a.json = excluded.json
            RETURNING a.id, a.json)
        SELECT n, id FROM found
        UNION ALL SELECT t.n, added.id FROM added JOIN t ON t.json = added.json
        """
    typealias Row = (Int64, Int64)

    /// The author objects' JSON texts (valid UTF-8 without NUL: checked with their message's page).
    var jsons: ArrayColumn

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(jsons)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}
