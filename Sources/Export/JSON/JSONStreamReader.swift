import Foundation

/// An incremental JSON reader over a file (read in 64 KiB chunks) or bytes in memory. It reads one value at a
/// time, so a document's large array can be walked element by element in constant memory. Every error names
/// the byte offset from the start of the input.
public struct JSONStreamReader {
    private var buffer: [UInt8]
    private var index = 0
    private var base = 0
    private let handle: FileHandle?
    private var atEOF: Bool
    private let chunkSize = 65_536
    private static let maxDepth = 512
    /// The keys written so far for each object open in ``readCompactValue(into:)`` (ranges of its output).
    private var keyStack: [Range<Int>] = []

    /// Reads bytes held in memory.
    public init(bytes: [UInt8]) {
        self.buffer = bytes
        self.handle = nil
        self.atEOF = true
        skipBOM()
    }

    /// Reads a file through `handle`, from its current position.
    public init(handle: FileHandle) {
        self.buffer = []
        self.handle = handle
        self.atEOF = false
        skipBOM()
    }

    /// The offset of the next unread byte from the start of the input.
    public var offset: Int { base + index }

    // MARK: Bytes

    private mutating func refill() -> Bool {
        guard !atEOF, let handle else { return false }
        let data = (try? handle.read(upToCount: chunkSize)) ?? nil
        guard let data, !data.isEmpty else {
            atEOF = true
            return false
        }
        base += buffer.count
        buffer = [UInt8](data)
        index = 0
        return true
    }

    private mutating func peekByte() -> UInt8? {
        if index < buffer.count { return buffer[index] }
        return refill() ? buffer[index] : nil
    }

    private mutating func nextByte() -> UInt8? {
        guard let byte = peekByte() else { return nil }
        index += 1
        return byte
    }

    private mutating func skipBOM() {
        if peekByte() == 0xEF {
            // A BOM is three bytes; the first chunk always holds them if present.
            if index + 2 < buffer.count, buffer[index + 1] == 0xBB, buffer[index + 2] == 0xBF { index += 3 }
        }
    }

    /// Skips whitespace and returns the next byte without consuming it (`nil` at the end).
    public mutating func peek() -> UInt8? {
        while let byte = peekByte() {
            guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return byte }
            index += 1
        }
        return nil
    }

    /// Consumes `byte` (after whitespace) or throws.
    public mutating func expect(_ byte: UInt8) throws {
        let at = offset
        guard let next = peek() else { throw ExportError.malformed("expected '\(char(byte))', found the end", at: at) }
        guard next == byte else {
            throw ExportError.malformed("expected '\(char(byte))', found '\(char(next))'", at: offset)
        }
        index += 1
    }

    /// Consumes `byte` if it comes next (after whitespace).
    public mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    /// Throws unless only whitespace is left.
    public mutating func expectEnd() throws {
        if let byte = peek() {
            throw ExportError.malformed("unexpected '\(char(byte))' after the document", at: offset)
        }
    }

    private func char(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : String(format: "0x%02X", byte)
    }

    // MARK: Values

    /// Reads one complete value.
    public mutating func readValue() throws -> JSONNode { try readValue(depth: 0) }

    private mutating func readValue(depth: Int) throws -> JSONNode {
        guard depth < Self.maxDepth else { throw ExportError.malformed("nesting deeper than 512", at: offset) }
        guard let byte = peek() else { throw ExportError.malformed("expected a value, found the end", at: offset) }
        switch byte {
        case UInt8(ascii: "{"):
            index += 1
            var members: [JSONNode.Member] = []
            if consume(UInt8(ascii: "}")) { return .object(members) }
            repeat {
                guard peek() == UInt8(ascii: "\"") else {
                    throw ExportError.malformed("expected a member name", at: offset)
                }
                let keyAt = offset
                let key = try readString()
                // A repeated key is ambiguous (which value is the message's?): refused, never silently resolved.
                if members.contains(where: { $0.key == key }) {
                    throw ExportError.malformed(
                        "the key \"\(key)\" appears twice in one object; a DCE export never repeats a key, so the "
                            + "file was edited or damaged", at: keyAt)
                }
                try expect(UInt8(ascii: ":"))
                members.append(JSONNode.Member(key, try readValue(depth: depth + 1)))
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
            return .object(members)
        case UInt8(ascii: "["):
            index += 1
            var values: [JSONNode] = []
            if consume(UInt8(ascii: "]")) { return .array(values) }
            repeat {
                values.append(try readValue(depth: depth + 1))
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
            return .array(values)
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"):
            try readLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try readLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try readLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try readNumber())
        default:
            throw ExportError.malformed("unexpected '\(char(byte))'", at: offset)
        }
    }

    private mutating func readLiteral(_ word: String) throws {
        let start = offset
        for expected in word.utf8 {
            guard nextByte() == expected else { throw ExportError.malformed("invalid literal", at: start) }
        }
    }

    private mutating func readNumber() throws -> String {
        let start = offset
        var text: [UInt8] = []
        func digits(_ reader: inout JSONStreamReader, _ text: inout [UInt8]) -> Int {
            var count = 0
            while let byte = reader.peekByte(), byte >= 48, byte <= 57 {
                text.append(byte)
                reader.index += 1
                count += 1
            }
            return count
        }
        if peekByte() == UInt8(ascii: "-") {
            text.append(UInt8(ascii: "-"))
            index += 1
        }
        guard digits(&self, &text) > 0 else { throw ExportError.malformed("invalid number", at: start) }
        if peekByte() == UInt8(ascii: ".") {
            text.append(UInt8(ascii: "."))
            index += 1
            guard digits(&self, &text) > 0 else { throw ExportError.malformed("invalid number", at: start) }
        }
        if let byte = peekByte(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            text.append(byte)
            index += 1
            if let sign = peekByte(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                text.append(sign)
                index += 1
            }
            guard digits(&self, &text) > 0 else { throw ExportError.malformed("invalid number", at: start) }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Reads a string (the next byte must be `"`).
    public mutating func readString() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = offset - 1
        // Fast path: a string without escapes inside the buffered bytes is decoded in one piece.
        var end = index
        var ascii = true
        while end < buffer.count {
            let byte = buffer[end]
            if byte == UInt8(ascii: "\"") {
                let text: String? = buffer.withUnsafeBufferPointer { all in
                    let slice = UnsafeBufferPointer(rebasing: all[index..<end])
                    return ascii ? String(decoding: slice, as: UTF8.self) : String(validating: slice, as: UTF8.self)
                }
                guard let text else { throw ExportError.malformed("string is not valid UTF-8", at: start) }
                index = end + 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            if byte >= 0x80 { ascii = false }
            end += 1
        }
        var bytes: [UInt8] = []
        while true {
            guard let byte = nextByte() else { throw ExportError.malformed("unterminated string", at: start) }
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw ExportError.malformed("string is not valid UTF-8", at: start)
                }
                return text
            case UInt8(ascii: "\\"):
                let escapeAt = offset - 1
                guard let escaped = nextByte() else { throw ExportError.malformed("unterminated string", at: start) }
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escaped)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try readHex4(at: escapeAt)
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate: pair it with a following low one, else U+FFFD.
                        if peekByte() == UInt8(ascii: "\\") {
                            index += 1
                            guard nextByte() == UInt8(ascii: "u") else {
                                throw ExportError.malformed("invalid escape", at: offset - 1)
                            }
                            let low = try readHex4(at: offset - 2)
                            if (0xDC00..<0xE000).contains(low) {
                                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                appendScalar(0xFFFD, to: &bytes)
                                scalar = low
                            }
                        } else {
                            scalar = 0xFFFD
                        }
                    }
                    if (0xD800..<0xE000).contains(scalar) { scalar = 0xFFFD }
                    appendScalar(scalar, to: &bytes)
                default:
                    throw ExportError.malformed("invalid escape '\\\(char(escaped))'", at: escapeAt)
                }
            case 0..<0x20:
                throw ExportError.malformed("control character in a string", at: offset - 1)
            default:
                bytes.append(byte)
            }
        }
    }

    private mutating func readHex4(at position: Int) throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = nextByte() else { throw ExportError.malformed("invalid \\u escape", at: position) }
            let digit: UInt32
            switch byte {
            case 48...57: digit = UInt32(byte - 48)
            case 65...70: digit = UInt32(byte - 55)
            case 97...102: digit = UInt32(byte - 87)
            default: throw ExportError.malformed("invalid \\u escape", at: position)
            }
            value = value << 4 | digit
        }
        return value
    }

    private func appendScalar(_ value: UInt32, to bytes: inout [UInt8]) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    // MARK: Compact values

    /// What ``readCompactValue(into:)`` saw of a top-level object: its `id` and `timestamp` members.
    public struct CompactFacts {
        /// Whether the value was an object.
        public var isObject = false
        /// The `id` member's value, when present.
        public var id: JSONNode?
        /// The `timestamp` member's string, when present.
        public var timestamp: String?
    }

    /// Reads one complete value and appends it to `out` exactly as
    /// `DCEJSONEncoding.appendCompact(try readValue(), to: &out)` would, without building a tree: the import's hot
    /// path. Refuses what ``readValue()`` refuses (a repeated key, malformed JSON), at the same offsets.
    public mutating func readCompactValue(into out: inout [UInt8]) throws -> CompactFacts {
        var facts = CompactFacts()
        keyStack.removeAll(keepingCapacity: true)
        guard peek() == UInt8(ascii: "{") else {
            try readCompactValue(into: &out, depth: 0)
            return facts
        }
        facts.isObject = true
        index += 1
        out.append(UInt8(ascii: "{"))
        if consume(UInt8(ascii: "}")) {
            out.append(UInt8(ascii: "}"))
            return facts
        }
        let keysBase = keyStack.count
        repeat {
            let key = try readCompactKey(into: &out, keysFrom: keysBase)
            let start = out.count
            try readCompactValue(into: &out, depth: 1)
            if Self.spells(out, key, "\"id\"") {
                facts.id = Self.node(out, start..<out.count)
            } else if Self.spells(out, key, "\"timestamp\""), out[start] == UInt8(ascii: "\"") {
                facts.timestamp = Self.node(out, start..<out.count).string
            }
        } while consumeComma(into: &out)
        try expect(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "}"))
        return facts
    }

    /// Whether the written key at `range` of `out` is `name` (quotes included).
    private static func spells(_ out: [UInt8], _ range: Range<Int>, _ name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        var offset = 0
        for position in range {
            if out[position] != name.utf8Start[offset] { return false }
            offset += 1
        }
        return true
    }

    /// A scalar value just written to `out` (compact, DCE's escaping) as a node.
    private static func node(_ out: [UInt8], _ range: Range<Int>) -> JSONNode {
        let raw = out[range]
        if raw.first == UInt8(ascii: "\""), !raw.contains(UInt8(ascii: "\\")) {
            return .string(String(decoding: raw.dropFirst().dropLast(), as: UTF8.self))
        }
        if let first = raw.first, first == UInt8(ascii: "-") || (48...57).contains(first) {
            return .number(String(decoding: raw, as: UTF8.self))
        }
        var reader = JSONStreamReader(bytes: Array(raw))
        return (try? reader.readValue()) ?? .null
    }

    private mutating func consumeComma(into out: inout [UInt8]) -> Bool {
        guard consume(UInt8(ascii: ",")) else { return false }
        out.append(UInt8(ascii: ","))
        return true
    }

    /// Reads `"key":`, appends it in DCE's escaping and returns where it was written; refuses a key already
    /// written for this object (`keyStack` from `keysFrom`: equal keys have equal escaped forms).
    private mutating func readCompactKey(into out: inout [UInt8], keysFrom base: Int) throws -> Range<Int> {
        guard peek() == UInt8(ascii: "\"") else { throw ExportError.malformed("expected a member name", at: offset) }
        let keyAt = offset
        let start = out.count
        try readCompactString(into: &out)
        let written = start..<out.count
        // A repeated key is ambiguous (which value is the message's?): refused, never silently resolved.
        for other in keyStack[base...] where other.count == written.count && out[other].elementsEqual(out[written]) {
            let key = String(decoding: out[written].dropFirst().dropLast(), as: UTF8.self)
            var reader = JSONStreamReader(bytes: Array(out[written]))
            let text = (try? reader.readString()) ?? key
            throw ExportError.malformed(
                "the key \"\(text)\" appears twice in one object; a DCE export never repeats a key, so the "
                    + "file was edited or damaged", at: keyAt)
        }
        keyStack.append(written)
        try expect(UInt8(ascii: ":"))
        out.append(UInt8(ascii: ":"))
        return written
    }

    private mutating func readCompactValue(into out: inout [UInt8], depth: Int) throws {
        guard depth < Self.maxDepth else { throw ExportError.malformed("nesting deeper than 512", at: offset) }
        guard let byte = peek() else { throw ExportError.malformed("expected a value, found the end", at: offset) }
        switch byte {
        case UInt8(ascii: "{"):
            index += 1
            out.append(UInt8(ascii: "{"))
            if !consume(UInt8(ascii: "}")) {
                let keysBase = keyStack.count
                repeat {
                    _ = try readCompactKey(into: &out, keysFrom: keysBase)
                    try readCompactValue(into: &out, depth: depth + 1)
                } while consumeComma(into: &out)
                try expect(UInt8(ascii: "}"))
                keyStack.removeSubrange(keysBase...)
            }
            out.append(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            index += 1
            out.append(UInt8(ascii: "["))
            if !consume(UInt8(ascii: "]")) {
                repeat {
                    try readCompactValue(into: &out, depth: depth + 1)
                } while consumeComma(into: &out)
                try expect(UInt8(ascii: "]"))
            }
            out.append(UInt8(ascii: "]"))
        case UInt8(ascii: "\""):
            try readCompactString(into: &out)
        case UInt8(ascii: "t"):
            try readLiteral("true")
            out.append(contentsOf: "true".utf8)
        case UInt8(ascii: "f"):
            try readLiteral("false")
            out.append(contentsOf: "false".utf8)
        case UInt8(ascii: "n"):
            try readLiteral("null")
            out.append(contentsOf: "null".utf8)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            out.append(contentsOf: try readNumber().utf8)
        default:
            throw ExportError.malformed("unexpected '\(char(byte))'", at: offset)
        }
    }

    /// A string: printable ASCII without escapes is copied as it is (DCE's escaping writes it unchanged); anything
    /// else is decoded and written in DCE's escaping.
    private mutating func readCompactString(into out: inout [UInt8]) throws {
        // Fast path: scan the buffered bytes for the closing quote.
        var end = index + 1
        while end < buffer.count {
            let byte = buffer[end]
            if byte == UInt8(ascii: "\"") {
                out.append(contentsOf: buffer[index...end])
                index = end + 1
                return
            }
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { break }
            end += 1
        }
        DCEJSONEncoding.appendString(try readString(), to: &out)
    }
}
