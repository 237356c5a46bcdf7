/// The strict half of the scanner: what a document from outside (an imported file) must pass — strings without
/// control characters, valid escapes and valid UTF-8, numbers and literals as JSON spells them, nesting at most
/// 512 deep, optionally no key twice in one object — with the byte offset of the first problem. The tree
/// (``JSONValue``) is read this way; the lax `skipValue` stays the archive's hot path over Discord's own pages.
extension JSONScanner {
    /// A string token read strictly, and whether its bytes are printable ASCII without escapes (then its JSON text
    /// is its own canonical form).
    public struct StrictString: Sendable, Hashable {
        /// The raw contents.
        public var token: StringToken
        /// Whether every byte is in 0x20…0x7E and none is a backslash.
        public var isPlainASCII: Bool
    }

    /// The deepest nesting the strict readers accept.
    public static let maximumDepth = 512

    /// Moves past a string (after whitespace), checking its escapes and refusing control characters.
    public mutating func scanStrictString() throws -> StrictString {
        try expect(UInt8(ascii: "\""))
        let start = index
        var escaped = false
        var plain = true
        let count = bytes.count
        while index < count {
            // Eight bytes at a time up to the first one that needs a look (most of an id, a timestamp, a URL, text).
            while index + 8 <= count {
                let look = Self.strictLookMask(
                    bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self), plain: plain)
                if look != 0 {
                    index += look.trailingZeroBitCount >> 3
                    break
                }
                index += 8
            }
            guard index < count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return StrictString(
                    token: StringToken(contents: start..<index - 1, isEscaped: escaped), isPlainASCII: plain)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                plain = false
                try scanEscape()
                continue
            }
            if byte < 0x20 { throw malformed("control character in a string") }
            if byte >= 0x7F { plain = false }
            index += 1
        }
        throw Malformed(offset: start - 1, reason: "unterminated string", isTruncated: true)
    }

    /// The high bit of each byte of `word` that ``scanStrictString()`` must look at: `"` and `\\`
    /// (``quoteOrBackslashMask(_:)``), a control character (below 0x20) and, while the string is still `plain`, a byte
    /// outside printable ASCII (0x7F and up; once it is not, such bytes change nothing and are skipped too). Each test
    /// is the classic "has a byte equal to / below n" on the word, exact up to its first flagged byte (little-endian:
    /// the lowest), so the lowest bit set is the first byte to look at.
    @inline(__always)
    static func strictLookMask(_ word: UInt64, plain: Bool) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var flagged = (word &- ones &* 0x20) & ~word
        if plain {
            let delete = word ^ (ones &* 0x7F)
            flagged |= (delete &- ones) & ~delete | word
        }
        return quoteOrBackslashMask(word) | flagged & highs
    }

    /// Moves past one escape (`index` at its backslash).
    private mutating func scanEscape() throws {
        let at = index
        guard index + 1 < bytes.count else {
            throw Malformed(offset: at, reason: "unterminated string", isTruncated: true)
        }
        let letter = bytes[index + 1]
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 2
        case UInt8(ascii: "u"):
            for offset in 2..<6 {
                guard index + offset < bytes.count else {
                    throw Malformed(offset: at, reason: "invalid \\u escape", isTruncated: true)
                }
                switch bytes[index + offset] {
                case 48...57, 65...70, 97...102: continue
                default: throw Malformed(offset: at, reason: "invalid \\u escape")
                }
            }
            index += 6
        default:
            throw Malformed(offset: at, reason: "invalid escape '\\\(Character(Unicode.Scalar(letter)))'")
        }
    }

    /// Moves past a number (after whitespace): `-?(0|[1-9]digits*)(.digits)?([eE][+-]?digits)?` (a leading zero
    /// before more digits, `0123`, is refused as JSON refuses it).
    public mutating func scanNumber() throws -> Range<Int> {
        skipWhitespace()
        let start = index
        let count = bytes.count
        func digits(_ scanner: inout JSONScanner) -> Bool {
            let first = scanner.index
            while scanner.index < count, scanner.bytes[scanner.index] &- 48 < 10 { scanner.index += 1 }
            return scanner.index > first
        }
        if index < count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        guard digits(&self) else { throw malformed("invalid number", at: start) }
        if bytes[integerStart] == UInt8(ascii: "0"), index - integerStart > 1 {
            throw Malformed(offset: start, reason: "leading zero in a number")
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) else { throw malformed("invalid number", at: start) }
        }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) else { throw malformed("invalid number", at: start) }
        }
        if index == count, inputContinues {
            throw Malformed(offset: start, reason: "invalid number", isTruncated: true)
        }
        return start..<index
    }

    /// Moves past `true`, `false` or `null` (after whitespace) and returns which.
    public mutating func scanLiteral() throws -> JSONValue {
        skipWhitespace()
        let start = index
        let (word, value): (StaticString, JSONValue)
        switch index < bytes.count ? bytes[index] : 0 {
        case UInt8(ascii: "t"): (word, value) = ("true", .bool(true))
        case UInt8(ascii: "f"): (word, value) = ("false", .bool(false))
        default: (word, value) = ("null", .null)
        }
        let pointer = word.utf8Start
        for offset in 0..<word.utf8CodeUnitCount {
            guard index < bytes.count else {
                throw Malformed(offset: start, reason: "invalid literal", isTruncated: true)
            }
            guard bytes[index] == pointer[offset] else { throw Malformed(offset: start, reason: "invalid literal") }
            index += 1
        }
        return value
    }

    /// Reads the value that comes next, strictly, as a ``JSONValue`` (numbers exact, members in document order).
    /// With `rejectingRepeatedKeys`, an object naming a key twice is refused at the second occurrence (in time
    /// linear in the object's key count).
    public mutating func readValue(rejectingRepeatedKeys: Bool = false) throws -> JSONValue {
        try readValue(depth: 0, rejectingRepeatedKeys: rejectingRepeatedKeys)
    }

    private mutating func readValue(depth: Int, rejectingRepeatedKeys: Bool) throws -> JSONValue {
        guard depth < Self.maximumDepth else { throw malformed("nesting deeper than \(Self.maximumDepth)") }
        guard let byte = peek() else { throw malformed("expected a value, found the end") }
        switch byte {
        case UInt8(ascii: "{"):
            index += 1
            var members: [JSONValue.Member] = []
            if consume(UInt8(ascii: "}")) { return .object(members) }
            // Keys seen, once the object is too large for comparing with each member to stay cheap.
            var keys: Set<String> = []
            repeat {
                let keyAt = try expectKey()
                let key = try validatedString(scanStrictString().token)
                if rejectingRepeatedKeys, Self.isRepeated(key, among: members, keys: &keys) {
                    throw Malformed(offset: keyAt, reason: "the key \"\(key)\" appears twice in one object")
                }
                try expect(UInt8(ascii: ":"))
                members.append(
                    JSONValue.Member(
                        key, try readValue(depth: depth + 1, rejectingRepeatedKeys: rejectingRepeatedKeys)))
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
            return .object(members)
        case UInt8(ascii: "["):
            index += 1
            var values: [JSONValue] = []
            if consume(UInt8(ascii: "]")) { return .array(values) }
            repeat {
                values.append(try readValue(depth: depth + 1, rejectingRepeatedKeys: rejectingRepeatedKeys))
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
            return .array(values)
        case UInt8(ascii: "\""):
            return .string(try validatedString(scanStrictString().token))
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            return try scanLiteral()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let range = try scanNumber()
            return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self))
        default:
            throw malformed("unexpected \(Self.describe(byte))")
        }
    }

    /// The key count up to which a repeated key is looked for by comparing with each key before it; larger
    /// objects keep a set, so refusing a repeated key stays linear in an object's key count.
    public static let linearKeySearchLimit = 16

    /// Whether `key` names one of `members` already: compared with each while there are few, then looked up in
    /// `keys`, filled with every key once the object grows past ``linearKeySearchLimit``.
    private static func isRepeated(_ key: String, among members: [JSONValue.Member], keys: inout Set<String>) -> Bool {
        guard members.count >= linearKeySearchLimit else { return members.contains { $0.key == key } }
        if keys.isEmpty { keys = Set(members.lazy.map(\.key)) }
        return !keys.insert(key).inserted
    }

    /// Checks that a member name comes next (after whitespace) and returns its offset.
    public mutating func expectKey() throws -> Int {
        guard let byte = peek() else { throw malformed("expected a member name, found the end") }
        guard byte == UInt8(ascii: "\"") else { throw malformed("expected a member name") }
        return index
    }
}
