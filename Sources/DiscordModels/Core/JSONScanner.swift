import Foundation

/// Skald's one byte-level JSON scanner: walks JSON text in place, without building a tree, and hands out the exact
/// byte ranges of array elements and object members, unescaped strings and exact integers. Pages, messages and
/// exports keep their original text while only the parts Skald indexes are read.
///
/// A scanner reads a buffer it does not own; use it inside `withUnsafeBytes` (or through the `Data` helpers):
///
/// ```swift
/// let author = JSONScanner.member("author", in: messageJSON)          // exact bytes, or nil
/// let elements = try JSONScanner.elements(of: pageJSON)               // [Data], one per element
/// try pageJSON.withUnsafeBytes { bytes in
///     var scanner = JSONScanner(bytes)
///     try scanner.forEachMember { key, value in … }
/// }
/// ```
public struct JSONScanner {
    /// Malformed JSON, with the byte offset where scanning stopped.
    public struct Malformed: Error, CustomStringConvertible, Sendable {
        /// The offset in the scanned bytes.
        public let offset: Int
        /// What was wrong there.
        public let reason: String
        /// Whether scanning ran into the end of the bytes: with more input after them (a chunk of a longer file,
        /// ``JSONScanner/inputContinues``) the value may be whole once more bytes are read.
        public let isTruncated: Bool
        /// A textual representation.
        public var description: String { "malformed JSON at byte \(offset): \(reason)" }

        /// Makes the error.
        public init(offset: Int, reason: String, isTruncated: Bool = false) {
            self.offset = offset
            self.reason = reason
            self.isTruncated = isTruncated
        }
    }

    /// A string's raw contents (between the quotes) and whether it holds escapes.
    public struct StringToken: Sendable, Hashable {
        /// The byte range between the quotes.
        public var contents: Range<Int>
        /// Whether a backslash occurs in it (the contents are then not the string's UTF-8 as is).
        public var isEscaped: Bool
    }

    /// The scanned bytes.
    public let bytes: UnsafeRawBufferPointer
    /// The position of the next byte to read.
    public var index: Int
    /// Whether more input follows `bytes` (a chunk of a longer file): the strict readers then report a number or
    /// literal that reaches the end of `bytes` as truncated (``Malformed/isTruncated``) instead of complete.
    public var inputContinues = false

    /// Starts scanning `bytes` at `index`.
    public init(_ bytes: UnsafeRawBufferPointer, at index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    /// An error at `offset` (the current position by default), truncated when the scanner stands at the end of the
    /// bytes.
    public func malformed(_ reason: String, at offset: Int? = nil) -> Malformed {
        Malformed(offset: offset ?? index, reason: reason, isTruncated: index >= bytes.count)
    }

    /// A byte as an error message shows it: `'x'` when printable ASCII, else `0xNN`.
    public static func describe(_ byte: UInt8) -> String {
        guard byte >= 0x20, byte < 0x7F else {
            return "0x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }
        return "'\(Character(Unicode.Scalar(byte)))'"
    }

    // MARK: - Primitives

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    /// Moves past whitespace (one comparison for a byte that is not: every byte above 0x20 is not). After each
    /// blank byte, the spaces that follow are skipped up to eight at a time (the first byte that is not a space found
    /// in the word): a pretty-printed document (a DCE export) indents every line by two spaces per level, and compact
    /// JSON (Discord's pages) has no blank byte to start with, so it never reaches the word test.
    @inline(__always)
    public mutating func skipWhitespace() {
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            guard byte <= 0x20, Self.isSpace(byte) else { return }
            index += 1
            while index + 8 <= count {
                // Zero bytes where the word holds a space (little-endian: the first byte is the lowest).
                let other = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ 0x2020_2020_2020_2020
                if other != 0 {
                    index += other.trailingZeroBitCount >> 3
                    break
                }
                index += 8
            }
        }
    }

    /// The next non-whitespace byte, without consuming it (`nil` at the end).
    @inline(__always)
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    /// Consumes `byte` (after whitespace) if it comes next.
    @inline(__always)
    public mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    /// Consumes `byte` (after whitespace) or throws.
    @inline(__always)
    public mutating func expect(_ byte: UInt8) throws {
        guard peek() == byte else { throw unexpected(byte) }
        index += 1
    }

    /// The error of ``expect(_:)`` when `byte` does not come next (kept out of the inlined fast path).
    @inline(never)
    private func unexpected(_ byte: UInt8) -> Malformed {
        guard index < bytes.count else { return malformed("expected \(Self.describe(byte)), found the end") }
        return malformed("expected \(Self.describe(byte)), found \(Self.describe(bytes[index]))")
    }

    /// Moves past a string (after whitespace) and returns its raw contents.
    public mutating func scanString() throws -> StringToken {
        try expect(UInt8(ascii: "\""))
        let start = index
        let escaped = try skipStringContents(from: start)
        return StringToken(contents: start..<index - 1, isEscaped: escaped)
    }

    /// Moves from `start` (just after an opening quote) past the closing quote; returns whether a backslash occurs.
    /// Eight bytes at a time while none is a quote or a backslash (most of a long string), then straight to the
    /// first one that is.
    @inline(__always)
    mutating func skipStringContents(from start: Int) throws -> Bool {
        index = start
        var escaped = false
        let count = bytes.count
        while true {
            while index + 8 <= count {
                let found = Self.quoteOrBackslashMask(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                if found != 0 {
                    index += found.trailingZeroBitCount >> 3
                    break
                }
                index += 8
            }
            guard index < count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return escaped
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 2
                continue
            }
            index += 1
        }
        throw Malformed(offset: start - 1, reason: "unterminated string", isTruncated: true)
    }

    /// The high bit of each byte of `word` that is `"` or `\\`, exact up to the first such byte (the classic
    /// zero-byte test on `word` XOR each; bytes after the first match may be flagged wrongly).
    @inline(__always)
    static func quoteOrBackslashMask(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash) & highs
    }

    /// Moves past one value of any kind (after whitespace) and returns its exact byte range.
    public mutating func skipValue() throws -> Range<Int> {
        skipWhitespace()
        let start = index
        let count = bytes.count
        guard index < count else { throw Malformed(offset: start, reason: "unterminated value", isTruncated: true) }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            _ = try skipStringContents(from: index + 1)
            return start..<index
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipContainer(depth: 0, start: start)
            return start..<index
        default:
            while index < count {
                switch bytes[index] {
                case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ":"), 0x20, 0x0A, 0x0D, 0x09:
                    return try scalarEnd(start)
                default: index += 1
                }
            }
            return start..<index
        }
    }

    /// Moves past the rest of the object or array the scanner stands inside (after its opening bracket, or after
    /// one of its members or elements) and its closing bracket, without reading the members: for a reader that
    /// found what it wanted early.
    public mutating func skipRestOfContainer() throws {
        try skipContainer(depth: 1, start: index)
    }

    /// Moves past closing brackets until `depth` of them close more than open: one pass, strings skipped eight bytes
    /// at a time, brackets counted (the structure between them is not checked).
    @inline(__always)
    private mutating func skipContainer(depth initial: Int, start: Int) throws {
        var depth = initial
        let count = bytes.count
        while index < count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                _ = try skipStringContents(from: index + 1)
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    index += 1
                    return
                }
            default: break
            }
            index += 1
        }
        throw Malformed(offset: start, reason: "unterminated value", isTruncated: true)
    }

    private func scalarEnd(_ start: Int) throws -> Range<Int> {
        guard index > start else { throw Malformed(offset: index, reason: "expected a value") }
        return start..<index
    }

    /// Calls `body` with the exact range of each element of the array that comes next, then moves past the array.
    public mutating func forEachElement(_ body: (Range<Int>) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if consume(UInt8(ascii: "]")) { return }
        while true {
            try body(try skipValue())
            if consume(UInt8(ascii: "]")) { return }
            guard consume(UInt8(ascii: ",")) else { throw Malformed(offset: index, reason: "expected ',' or ']'") }
        }
    }

    /// Calls `body` with each member of the object that comes next — its key's raw contents and its value's
    /// exact range — then moves past the object. `body` returns `false` to stop early (the scanner then stands
    /// after that member's value).
    public mutating func forEachMember(_ body: (StringToken, Range<Int>) throws -> Bool) throws {
        try expect(UInt8(ascii: "{"))
        if consume(UInt8(ascii: "}")) { return }
        while true {
            let key = try scanString()
            try expect(UInt8(ascii: ":"))
            let value = try skipValue()
            guard try body(key, value) else { return }
            if consume(UInt8(ascii: "}")) { return }
            guard consume(UInt8(ascii: ",")) else { throw Malformed(offset: index, reason: "expected ',' or '}'") }
        }
    }

    /// Whether the raw key contents `key` spell `name` (keys with escapes are compared unescaped).
    @inline(__always)
    public func key(_ key: StringToken, is name: StaticString) -> Bool {
        let length = name.utf8CodeUnitCount
        if key.isEscaped { return escapedKey(key, is: name) }
        guard key.contents.count == length else { return false }
        guard length > 0, let base = bytes.baseAddress else { return true }
        return memcmp(base + key.contents.lowerBound, name.utf8Start, length) == 0
    }

    /// ``key(_:is:)`` for a key with escapes (rare: kept out of the inlined fast path).
    @inline(never)
    private func escapedKey(_ key: StringToken, is name: StaticString) -> Bool {
        (try? string(key)) == name.description
    }

    /// Whether the raw key contents `key` spell `name`.
    public func key(_ key: StringToken, is name: [UInt8]) -> Bool {
        if key.isEscaped { return (try? string(key)).map { Array($0.utf8) == name } ?? false }
        guard key.contents.count == name.count else { return false }
        var offset = 0
        for position in key.contents {
            if bytes[position] != name[offset] { return false }
            offset += 1
        }
        return true
    }

    // MARK: - Values

    /// The string a token stands for, escapes resolved (`\uXXXX` surrogate pairs joined; a lone surrogate
    /// becomes U+FFFD).
    public func string(_ token: StringToken) throws -> String {
        if !token.isEscaped {
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[token.contents]), as: UTF8.self)
        }
        return String(decoding: try unescaped(token), as: UTF8.self)
    }

    /// The string a token stands for, as ``string(_:)``, refusing bytes that are not valid UTF-8.
    public func validatedString(_ token: StringToken) throws -> String {
        let text: String?
        if token.isEscaped {
            text = String(validating: try unescaped(token), as: UTF8.self)
        } else {
            text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[token.contents]), as: UTF8.self)
        }
        guard let text else {
            throw Malformed(offset: token.contents.lowerBound - 1, reason: "string is not valid UTF-8")
        }
        return text
    }

    /// The UTF-8 bytes of an escaped string token, escapes resolved.
    private func unescaped(_ token: StringToken) throws -> [UInt8] {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[token.contents])
        return try [UInt8](unsafeUninitializedCapacity: raw.count) { buffer, count in
            count = try Self.unescape(raw, into: UnsafeMutableRawBufferPointer(buffer), at: token.contents.lowerBound)
        }
    }

    /// Writes the UTF-8 of the raw contents `raw` of a string (between its quotes) into `out`, escapes resolved
    /// (`\uXXXX` surrogate pairs joined; a lone surrogate becomes U+FFFD), and returns how many bytes it wrote. The
    /// text never grows by unescaping: `out` needs `raw.count` bytes at most. `offset` is where `raw` starts in the
    /// scanned bytes (for errors).
    /// - Throws: ``Malformed`` for a bad escape.
    public static func unescape(
        _ raw: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer, at offset: Int = 0
    ) throws -> Int {
        precondition(out.count >= raw.count, "unescaping needs as many bytes as the raw contents")
        var position = 0
        var written = 0
        while position < raw.count {
            let byte = raw[position]
            guard byte == UInt8(ascii: "\\") else {
                out[written] = byte
                written += 1
                position += 1
                continue
            }
            guard position + 1 < raw.count else { throw Malformed(offset: offset + position, reason: "bad escape") }
            let escaped = raw[position + 1]
            position += 2
            let resolved: UInt8
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): resolved = escaped
            case UInt8(ascii: "b"): resolved = 0x08
            case UInt8(ascii: "f"): resolved = 0x0C
            case UInt8(ascii: "n"): resolved = 0x0A
            case UInt8(ascii: "r"): resolved = 0x0D
            case UInt8(ascii: "t"): resolved = 0x09
            case UInt8(ascii: "u"):
                var scalar = try hex4(raw, at: position, base: offset)
                position += 4
                if (0xD800..<0xDC00).contains(scalar), position + 6 <= raw.count, raw[position] == UInt8(ascii: "\\"),
                    raw[position + 1] == UInt8(ascii: "u")
                {
                    let low = try hex4(raw, at: position + 2, base: offset)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        position += 6
                    }
                }
                // At most four bytes for the six (or twelve) of the escape.
                for unit in (Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8 {
                    out[written] = unit
                    written += 1
                }
                continue
            default:
                throw Malformed(offset: offset + position - 1, reason: "bad escape")
            }
            out[written] = resolved
            written += 1
        }
        return written
    }

    private static func hex4(_ raw: UnsafeRawBufferPointer, at position: Int, base: Int) throws -> UInt32 {
        guard position + 4 <= raw.count else { throw Malformed(offset: base + position, reason: "bad \\u escape") }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = raw[position + offset]
            let digit: UInt32
            switch byte {
            case 48...57: digit = UInt32(byte - 48)
            case 65...70: digit = UInt32(byte - 55)
            case 97...102: digit = UInt32(byte - 87)
            default: throw Malformed(offset: base + position + offset, reason: "bad \\u escape")
            }
            value = value << 4 | digit
        }
        return value
    }

    /// The exact integer a value range holds, if it is an integer literal that fits `Int64`.
    public func integer(_ range: Range<Int>) -> Int64? {
        guard !range.isEmpty else { return nil }
        var position = range.lowerBound
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        guard position < range.upperBound else { return nil }
        var value: Int64 = 0
        while position < range.upperBound {
            let digit = bytes[position] &- 48
            guard digit < 10 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) =
                negative
                ? times.subtractingReportingOverflow(Int64(digit)) : times.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            position += 1
        }
        return value
    }

    /// The unsigned integer a value range holds: an integer literal or a string of digits (how Discord sends
    /// snowflakes), if it fits `UInt64`.
    public func unsignedInteger(_ range: Range<Int>) -> UInt64? {
        var lower = range.lowerBound
        var upper = range.upperBound
        if upper - lower >= 2, bytes[lower] == UInt8(ascii: "\""), bytes[upper - 1] == UInt8(ascii: "\"") {
            lower += 1
            upper -= 1
        }
        guard lower < upper else { return nil }
        var value: UInt64 = 0
        // Nineteen digits cannot overflow `UInt64` (its largest value has twenty): snowflakes take the unchecked loop.
        if upper - lower <= 19 {
            for position in lower..<upper {
                let digit = bytes[position] &- 48
                guard digit < 10 else { return nil }
                value = value &* 10 &+ UInt64(digit)
            }
            return value
        }
        for position in lower..<upper {
            let digit = bytes[position] &- 48
            guard digit < 10 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// Whether a value range is the literal `null`.
    public func isNull(_ range: Range<Int>) -> Bool {
        range.count == 4 && bytes[range.lowerBound] == UInt8(ascii: "n")
    }

    /// The string a value range holds (`nil` if it is not a string).
    public func string(in range: Range<Int>) throws -> String? {
        guard range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "\"") else { return nil }
        var inner = JSONScanner(bytes, at: range.lowerBound)
        return try string(inner.scanString())
    }

    /// The exact bytes of a range, as `Data`.
    public func data(_ range: Range<Int>) -> Data { Data(UnsafeRawBufferPointer(rebasing: bytes[range])) }
}
