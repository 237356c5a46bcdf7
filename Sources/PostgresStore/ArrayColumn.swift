import DiscordModels
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
        write(length: -1)
        hasNulls = true
        count += 1
    }

    /// Adds an `int8` element.
    mutating func append(_ value: Int64) {
        // One capacity check and two unaligned big-endian stores (ByteBuffer's generic integer writers cost more
        // than the element).
        body.writeWithUnsafeMutableBytes(minimumWritableBytes: 12) { bytes in
            bytes.storeBytes(of: Int32(8).bigEndian, as: Int32.self)
            bytes.storeBytes(of: value.bigEndian, toByteOffset: 4, as: Int64.self)
            return 12
        }
        count += 1
    }

    /// Adds an `int8` element or NULL.
    mutating func append(_ value: Int64?) {
        if let value { append(value) } else { appendNull() }
    }

    /// Adds a `bool` element.
    mutating func append(_ value: Bool) {
        body.writeWithUnsafeMutableBytes(minimumWritableBytes: 5) { bytes in
            bytes.storeBytes(of: Int32(1).bigEndian, as: Int32.self)
            bytes[4] = value ? 1 : 0
            return 5
        }
        count += 1
    }

    /// Adds a `text` element (its UTF-8 bytes; the caller keeps NUL characters out, see ``pgText(_:)``).
    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Adds a `text` element or NULL.
    mutating func append(_ text: String?) {
        if let text { append(text) } else { appendNull() }
    }

    /// Adds a message's text as a `text` element, or NULL when absent (the empty text when `orEmpty`): its bytes
    /// straight from `json` (the message's JSON) when it has no escape, no `String` made. With `replacingNUL`, NUL
    /// characters (only an escape `\u0000` gives one in valid JSON) become U+FFFD, as ``pgText(_:)`` does.
    mutating func append(
        _ text: IndexedText?, in json: UnsafeRawBufferPointer, orEmpty: Bool = false, replacingNUL: Bool = false
    ) {
        guard let text else {
            if orEmpty { append(UnsafeRawBufferPointer(start: nil, count: 0)) } else { appendNull() }
            return
        }
        text.withUTF8(in: json) { bytes in
            if replacingNUL, let base = bytes.baseAddress, memchr(base, 0, bytes.count) != nil {
                append(pgText(String(decoding: bytes, as: UTF8.self)))
            } else {
                append(bytes)
            }
        }
    }

    /// Adds a `text` element of these UTF-8 bytes (valid UTF-8 without NUL: the caller checked them).
    mutating func append(bytes: UnsafeRawBufferPointer) { append(bytes) }

    /// Adds a `text` element of these UTF-8 bytes.
    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        body.writeWithUnsafeMutableBytes(minimumWritableBytes: 4 + bytes.count) { target in
            target.storeBytes(of: Int32(bytes.count).bigEndian, as: Int32.self)
            UnsafeMutableRawBufferPointer(rebasing: target[4...]).copyMemory(from: bytes)
            return 4 + bytes.count
        }
        count += 1
    }

    /// Adds a `text` element made of `bytes` with `range` replaced by `replacement` (valid UTF-8, no NUL).
    mutating func append(_ bytes: UnsafeRawBufferPointer, replacing range: Range<Int>, with replacement: StaticString) {
        let replaced = UnsafeRawBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount)
        let head = UnsafeRawBufferPointer(rebasing: bytes[..<range.lowerBound])
        let tail = UnsafeRawBufferPointer(rebasing: bytes[range.upperBound...])
        let length = head.count + replaced.count + tail.count
        body.writeWithUnsafeMutableBytes(minimumWritableBytes: 4 + length) { target in
            target.storeBytes(of: Int32(length).bigEndian, as: Int32.self)
            UnsafeMutableRawBufferPointer(rebasing: target[4...]).copyMemory(from: head)
            UnsafeMutableRawBufferPointer(rebasing: target[(4 + head.count)...]).copyMemory(from: replaced)
            UnsafeMutableRawBufferPointer(rebasing: target[(4 + head.count + replaced.count)...]).copyMemory(from: tail)
            return 4 + length
        }
        count += 1
    }

    /// Writes an element's length prefix (-1 for NULL).
    private mutating func write(length: Int32) {
        body.writeWithUnsafeMutableBytes(minimumWritableBytes: 4) { bytes in
            bytes.storeBytes(of: length.bigEndian, as: Int32.self)
            return 4
        }
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
