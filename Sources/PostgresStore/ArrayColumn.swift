import Foundation
import NIOCore
import PostgresNIO

/// One column of a multi-row write (`INSERT … SELECT … FROM unnest($1::bigint[], …)`), kept as the body of
/// PostgreSQL's binary array format while rows are added: each element is written once, length-prefixed (-1 for
/// NULL), straight from the value the row was built from, and binding the column is one header and one copy of
/// that body. PostgresNIO's own `[Int64]`/`[String]` encoding went through an intermediate Swift array and a
/// generic encode per element (≈ 8% of Skald's CPU archiving into PostgreSQL).
struct ArrayColumn: PostgresDynamicTypeEncodable, Sendable {
    /// The element type (`int8`, `text` or `bool`).
    let elementType: PostgresDataType
    /// The number of elements added.
    private(set) var count = 0
    private var hasNulls = false
    private var body = ByteBuffer()

    init(_ elementType: PostgresDataType) {
        self.elementType = elementType
    }

    var isEmpty: Bool { count == 0 }

    var psqlType: PostgresDataType {
        switch elementType {
        case .int8: .int8Array
        case .bool: .boolArray
        default: .textArray
        }
    }

    var psqlFormat: PostgresFormat { .binary }

    /// Adds a NULL element.
    mutating func appendNull() {
        body.writeInteger(-1, as: Int32.self)
        hasNulls = true
        count += 1
    }

    /// Adds an `int8` element.
    mutating func append(_ value: Int64) {
        body.writeMultipleIntegers(Int32(8), value)
        count += 1
    }

    /// Adds an `int8` element or NULL.
    mutating func append(_ value: Int64?) {
        if let value { append(value) } else { appendNull() }
    }

    /// Adds a `bool` element.
    mutating func append(_ value: Bool) {
        body.writeMultipleIntegers(Int32(1), UInt8(value ? 1 : 0))
        count += 1
    }

    /// Adds a `text` element (its UTF-8 bytes; the caller keeps NUL characters out, see ``pgText(_:)``).
    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            body.writeInteger(Int32(bytes.count))
            body.writeBytes(UnsafeRawBufferPointer(bytes))
        }
        count += 1
    }

    /// Adds a `text` element or NULL.
    mutating func append(_ text: String?) {
        if let text { append(text) } else { appendNull() }
    }

    /// Adds a `text` element made of `bytes` with `range` replaced by `replacement` (valid UTF-8, no NUL).
    mutating func append(_ bytes: UnsafeRawBufferPointer, replacing range: Range<Int>, with replacement: StaticString) {
        let replaced = UnsafeRawBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount)
        body.writeInteger(Int32(bytes.count - range.count + replaced.count))
        body.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[..<range.lowerBound]))
        body.writeBytes(replaced)
        body.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[range.upperBound...]))
        count += 1
    }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) {
        // The binary array format: dimensions, has-nulls flag, element type, then per dimension its length and lower
        // bound, then the elements.
        buffer.writeMultipleIntegers(Int32(count == 0 ? 0 : 1), Int32(hasNulls ? 1 : 0), elementType.rawValue)
        guard count > 0 else { return }
        buffer.writeMultipleIntegers(Int32(count), Int32(1))
        buffer.writeImmutableBuffer(body)
    }
}
