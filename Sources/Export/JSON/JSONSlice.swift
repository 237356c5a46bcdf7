import DiscordModels
import Foundation

/// A JSON value read in place from stored JSON bytes with ``JSONScanner``: no tree, no strings until asked for.
/// A top-level object's members are located in the same single pass that finds its end, so a renderer's many
/// lookups on one message cost one pass over it; nested values are slices of the same bytes whose members are
/// scanned only when looked up (most are looked up once, or not at all).
struct JSONSlice: JSONLookup {
    /// One object member: its key's raw contents and its value's exact range.
    private struct Member {
        var key: JSONScanner.StringToken
        var value: Range<Int>
        /// The key's length and first bytes (see ``JSONSlice/fingerprint(_:count:)``): most names are told
        /// apart by it alone.
        var fingerprint: UInt64
    }

    /// An escaped key's fingerprint (no UTF-8 key has it): such keys are compared unescaped.
    private static let escaped = UInt64.max

    /// A key's byte count and up to its first seven bytes in one word.
    @inline(__always)
    private static func fingerprint(_ start: UnsafeRawPointer, count: Int) -> UInt64 {
        var word = UInt64(min(count, 255))
        for offset in 0..<min(count, 7) {
            word |= UInt64(start.load(fromByteOffset: offset, as: UInt8.self)) << (8 * (offset + 1))
        }
        return word
    }

    /// The members of the object at `range` of `buffer`, in document order.
    private static func members(_ buffer: UnsafeRawBufferPointer, object range: Range<Int>) -> [Member] {
        var scanner = JSONScanner(buffer, at: range.lowerBound)
        var found: [Member] = []
        try? scanner.forEachMember { key, value in
            found.append(Member(key: key, value: value, fingerprint: fingerprint(buffer, key)))
            return true
        }
        return found
    }

    @inline(__always)
    private static func fingerprint(_ buffer: UnsafeRawBufferPointer, _ key: JSONScanner.StringToken) -> UInt64 {
        key.isEscaped ? escaped : fingerprint(buffer.baseAddress! + key.contents.lowerBound, count: key.contents.count)
    }

    /// The bytes the slice reads (shared, not copied, by nested slices).
    let storage: [UInt8]
    /// The value's exact byte range in `storage`.
    let range: Range<Int>
    /// A top-level object's members in document order (`nil` for a nested value: scanned on lookup).
    private let members: [Member]?

    /// The complete JSON text `bytes` (a leading BOM is skipped).
    /// - Throws: ``ExportError`` with the byte position of a structural problem in the top value.
    init(_ bytes: [UInt8]) throws {
        do {
            let (range, members) = try bytes.withUnsafeBytes { buffer -> (Range<Int>, [Member]) in
                var scanner = JSONScanner(buffer)
                if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { scanner.index = 3 }
                guard scanner.peek() == UInt8(ascii: "{") else {
                    let range = try scanner.skipValue()
                    try scanner.expectEnd()
                    return (range, [])
                }
                // One pass: the members' ranges and the object's end together.
                let start = scanner.index
                var found: [Member] = []
                found.reserveCapacity(24)
                try scanner.forEachMember { key, value in
                    found.append(Member(key: key, value: value, fingerprint: Self.fingerprint(buffer, key)))
                    return true
                }
                let range = start..<scanner.index
                try scanner.expectEnd()
                return (range, found)
            }
            self.storage = bytes
            self.range = range
            self.members = members
        } catch let error as JSONScanner.Malformed {
            throw ExportError.malformed(error.reason, at: error.offset)
        }
    }

    /// Stored JSON text (see ``init(_:)-([UInt8])``).
    init(_ data: Data) throws { try self.init([UInt8](data)) }

    /// A value inside this one's bytes (its structure was checked when the enclosing value was scanned).
    @inline(__always)
    private func slice(_ range: Range<Int>) -> JSONSlice { JSONSlice(nested: storage, range: range) }

    private init(storage: [UInt8], range: Range<Int>, members: [Member]) {
        self.storage = storage
        self.range = range
        self.members = members
    }

    private init(nested storage: [UInt8], range: Range<Int>) {
        self.storage = storage
        self.range = range
        self.members = nil
    }

    /// The value's first byte (0 for an empty range).
    @inline(__always)
    private var first: UInt8 { range.isEmpty ? 0 : storage[range.lowerBound] }

    /// The first member named `key` of an object, or `nil` (also for non-objects).
    subscript(key: StaticString) -> JSONSlice? {
        let found: Range<Int>? = storage.withUnsafeBytes { buffer in
            if let members {
                let scanner = JSONScanner(buffer)
                let wanted = Self.fingerprint(UnsafeRawPointer(key.utf8Start), count: key.utf8CodeUnitCount)
                let length = key.utf8CodeUnitCount
                for member in members {
                    if member.fingerprint == wanted {
                        // Same length and first bytes: the rest compared (names up to 7 bytes are equal already).
                        if length <= 7
                            || member.key.contents.count == length
                                && memcmp(
                                    buffer.baseAddress! + member.key.contents.lowerBound, key.utf8Start, length) == 0
                        {
                            return member.value
                        }
                    } else if member.fingerprint == Self.escaped, scanner.key(member.key, is: key) {
                        return member.value
                    }
                }
                return nil
            }
            guard first == UInt8(ascii: "{") else { return nil }
            // A nested object: scanned up to the member (its structure was checked with the enclosing value).
            let reader = JSONScanner(buffer)
            var scanner = JSONScanner(buffer, at: range.lowerBound)
            var value: Range<Int>?
            try? scanner.forEachMember { name, range in
                guard reader.key(name, is: key) else { return true }
                value = range
                return false
            }
            return value
        }
        return found.map(slice)
    }

    /// The text of a string, or `nil`.
    var string: String? {
        guard first == UInt8(ascii: "\"") else { return nil }
        return storage.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer, at: range.lowerBound)
            return (try? scanner.scanString()).flatMap { try? scanner.string($0) }
        }
    }

    /// The contents of a string (between the quotes) when they are printable ASCII without escapes (the string's
    /// text byte for byte), or `nil`.
    var printableASCIIContents: Range<Int>? {
        guard first == UInt8(ascii: "\""), range.count >= 2 else { return nil }
        let contents = range.lowerBound + 1..<range.upperBound - 1
        for byte in storage[contents] where byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\\") {
            return nil
        }
        return contents
    }

    /// The exact text of the value.
    private var text: String { storage.withUnsafeBytes { String(decoding: $0[range], as: UTF8.self) } }

    /// An integer from a number or a decimal string, or `nil`.
    var int: Int? {
        switch first {
        case UInt8(ascii: "\""): return string.flatMap { Int($0) }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if let value = storage.withUnsafeBytes({ JSONScanner($0).integer(range) }) { return Int(value) }
            let text = self.text
            return Int(text) ?? Double(text).map { Int($0) }
        default: return nil
        }
    }

    /// An unsigned 64-bit id from a decimal string or number (snowflakes), or `nil`.
    var uint64: UInt64? {
        switch first {
        case UInt8(ascii: "\""):
            if let value = storage.withUnsafeBytes({ JSONScanner($0).unsignedInteger(range) }) { return value }
            return string.flatMap { UInt64($0) }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return storage.withUnsafeBytes { JSONScanner($0).unsignedInteger(range) } ?? UInt64(text)
        default: return nil
        }
    }

    /// A boolean, or `nil`.
    var bool: Bool? {
        switch first {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: return nil
        }
    }

    /// The elements of an array (empty for anything else).
    var elements: [JSONSlice] {
        guard first == UInt8(ascii: "[") else { return [] }
        let ranges: [Range<Int>] = storage.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer, at: range.lowerBound)
            var found: [Range<Int>] = []
            try? scanner.forEachElement { found.append($0) }
            return found
        }
        // Elements are mostly objects looked up member by member (attachments, embeds, reactions): indexed.
        return storage.withUnsafeBytes { buffer in
            ranges.map { range in
                guard buffer[range.lowerBound] == UInt8(ascii: "{") else { return slice(range) }
                return JSONSlice(storage: storage, range: range, members: Self.members(buffer, object: range))
            }
        }
    }

    /// Whether this is an object.
    var isObject: Bool { first == UInt8(ascii: "{") }
}
