import DiscordModels
import Foundation

extension JSONScanner {
    /// What ``readCompactValue(into:keys:)`` saw of a top-level object: its `id`, `timestamp`, `content` and `author`
    /// members.
    public struct CompactFacts {
        /// Whether the value was an object.
        public var isObject = false
        /// The `id` member's value, when present.
        public var id: JSONValue?
        /// The `timestamp` member's string, when present.
        public var timestamp: String?
        /// Where the `author` member's object was written in `out`, when it is an object (the archive indexes the
        /// author from these bytes without reading the whole message again).
        public var author: Range<Int>?
        /// Where the `content` member's string was written in `out` (quotes included), when it is a string (the
        /// archive feeds its full-text index from these bytes).
        public var content: Range<Int>?
        /// Whether a member whose key ends in `rl` (`url`, `avatarUrl`, …) holds a string that does not start
        /// with `h`: a local path of a `--media` export, maybe (see `DCEAssetFields`).
        public var mayHoldLocalPath = false
    }

    /// Reads one complete value, strictly, and appends it to `out` exactly as
    /// `DCEJSONEncoding.appendCompact(try readValue(rejectingRepeatedKeys: true), to: &out)` would, without building
    /// a tree: the import's hot path. Refuses what that refuses (a repeated key, malformed JSON), at the same
    /// offsets (and then leaves `out` as it was). `keys` is scratch space (the keys written so far for each open
    /// object), reused between calls.
    public mutating func readCompactValue(into out: inout [UInt8], keys: inout [Range<Int>]) throws -> CompactFacts {
        // Written through a pointer, handed over once (a message is about 120 pieces: an array append each cost more
        // than the copy).
        var buffer = CompactBuffer(capacity: 4_096)
        var facts = try readCompactValue(into: &buffer, keys: &keys)
        let offset = out.count
        facts.author = facts.author.map { $0.lowerBound + offset..<$0.upperBound + offset }
        facts.content = facts.content.map { $0.lowerBound + offset..<$0.upperBound + offset }
        buffer.write(to: &out)
        return facts
    }

    private mutating func readCompactValue(into out: inout CompactBuffer, keys: inout [Range<Int>]) throws
        -> CompactFacts
    {
        var facts = CompactFacts()
        keys.removeAll(keepingCapacity: true)
        guard peek() == UInt8(ascii: "{") else {
            try readCompactValue(into: &out, keys: &keys, depth: 0, localPath: &facts.mayHoldLocalPath)
            return facts
        }
        facts.isObject = true
        index += 1
        out.append(UInt8(ascii: "{"))
        if consume(UInt8(ascii: "}")) {
            out.append(UInt8(ascii: "}"))
            return facts
        }
        var seen: Set<[UInt8]> = []
        var summary: UInt64 = 0
        repeat {
            let key = try readCompactKey(into: &out, keys: &keys, from: 0, summary: &summary, seen: &seen)
            let start = out.count
            let valueAt = peek() ?? 0
            if mayBeLocalPath(out, key: key) { facts.mayHoldLocalPath = true }
            try readCompactValue(into: &out, keys: &keys, depth: 1, localPath: &facts.mayHoldLocalPath)
            if Self.spells(out, key, "\"id\"") {
                facts.id = try JSONValue.scalar(out.bytes(start..<out.count))
            } else if Self.spells(out, key, "\"timestamp\""), valueAt == UInt8(ascii: "\"") {
                facts.timestamp = try JSONValue.scalar(out.bytes(start..<out.count)).string
            } else if valueAt == UInt8(ascii: "\""), Self.spells(out, key, "\"content\"") {
                facts.content = start..<out.count
            } else if valueAt == UInt8(ascii: "{"), Self.spells(out, key, "\"author\"") {
                facts.author = start..<out.count
            }
        } while consumeComma(into: &out)
        try expect(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "}"))
        return facts
    }

    /// Whether the written key at `range` of `out` is `name` (quotes included).
    private static func spells(_ out: borrowing CompactBuffer, _ range: Range<Int>, _ name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        var offset = 0
        for position in range {
            if out[position] != name.utf8Start[offset] { return false }
            offset += 1
        }
        return true
    }

    private mutating func consumeComma(into out: inout CompactBuffer) -> Bool {
        guard consume(UInt8(ascii: ",")) else { return false }
        out.append(UInt8(ascii: ","))
        return true
    }

    /// Reads `"key":`, appends it in DCE's escaping and returns where it was written; refuses a key already written
    /// for this object (`keys` from `base`, and `seen` once the object is large: equal keys have equal escaped
    /// forms). `summary` holds a bit per key of the object (a hash of its length, first and last byte): a key whose
    /// bit is not set yet is new without comparing it with the others.
    private mutating func readCompactKey(
        into out: inout CompactBuffer, keys: inout [Range<Int>], from base: Int, summary: inout UInt64,
        seen: inout Set<[UInt8]>
    ) throws -> Range<Int> {
        let keyAt = try expectKey()
        let start = out.count
        try readCompactString(into: &out)
        let written = start..<out.count
        // A repeated key is ambiguous (which value is the message's?): refused, never silently resolved. Compared
        // only when an earlier key has the same bit (callgrind: the comparisons were a quarter of this function).
        let hash =
            (UInt32(truncatingIfNeeded: written.count) << 16 | UInt32(out[written.lowerBound + 1]) << 8
                | UInt32(out[written.upperBound - 2])) &* 0x9E37_79B1
        let bit: UInt64 = 1 << (hash >> 26)
        let maybeRepeated = summary & bit != 0
        summary |= bit
        if maybeRepeated || keys.count - base >= Self.linearKeySearchLimit,
            Self.isRepeated(written, in: out, among: keys, from: base, seen: &seen)
        {
            let key = (try? JSONValue.scalar(out.bytes(written)).string) ?? nil
            throw Malformed(offset: keyAt, reason: "the key \"\(key ?? "")\" appears twice in one object")
        }
        keys.append(written)
        // DCE writes the colon right after the key: read where it stands, else after whitespace.
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") { index += 1 } else { try expect(UInt8(ascii: ":")) }
        out.append(UInt8(ascii: ":"))
        return written
    }

    /// Whether the key written at `key` of `out` equals one written before it in the same object (`keys` from
    /// `base`): compared with each while there are few (``JSONScanner/linearKeySearchLimit``), then looked up in
    /// `seen`, filled with every key of the object once it grows past that, so the check stays linear in the key
    /// count.
    private static func isRepeated(
        _ key: Range<Int>, in out: borrowing CompactBuffer, among keys: [Range<Int>], from base: Int,
        seen: inout Set<[UInt8]>
    ) -> Bool {
        guard keys.count - base >= linearKeySearchLimit else {
            // Compared in place: most keys differ in length, the rest in their first bytes.
            let length = key.count
            let written = out.base
            for earlier in keys[base...] where earlier.count == length {
                if memcmp(written + earlier.lowerBound, written + key.lowerBound, length) == 0 { return true }
            }
            return false
        }
        if seen.isEmpty { seen = Set(keys[base...].map { Array(out.bytes($0)) }) }
        return !seen.insert(Array(out.bytes(key))).inserted
    }

    /// Whether the member whose key was just written at `key` may hold a local path: the key ends in `rl"` and the
    /// value is a string whose first character is not `h` (or is past the bytes at hand). Call after `peek()`.
    @inline(__always)
    private func mayBeLocalPath(_ out: borrowing CompactBuffer, key: Range<Int>) -> Bool {
        guard key.count >= 4, out[key.upperBound - 2] == UInt8(ascii: "l"),
            out[key.upperBound - 3] == UInt8(ascii: "r"), index < bytes.count, bytes[index] == UInt8(ascii: "\"")
        else { return false }
        return index + 1 >= bytes.count || bytes[index + 1] != UInt8(ascii: "h")
    }

    private mutating func readCompactValue(
        into out: inout CompactBuffer, keys: inout [Range<Int>], depth: Int, localPath: inout Bool
    ) throws {
        guard depth < Self.maximumDepth else { throw malformed("nesting deeper than \(Self.maximumDepth)") }
        guard let byte = peek() else { throw malformed("expected a value, found the end") }
        switch byte {
        case UInt8(ascii: "{"):
            index += 1
            out.append(UInt8(ascii: "{"))
            if !consume(UInt8(ascii: "}")) {
                let base = keys.count
                var seen: Set<[UInt8]> = []
                var summary: UInt64 = 0
                repeat {
                    let key = try readCompactKey(into: &out, keys: &keys, from: base, summary: &summary, seen: &seen)
                    if peek() == UInt8(ascii: "\""), mayBeLocalPath(out, key: key) { localPath = true }
                    try readCompactValue(into: &out, keys: &keys, depth: depth + 1, localPath: &localPath)
                } while consumeComma(into: &out)
                try expect(UInt8(ascii: "}"))
                keys.removeSubrange(base...)
            }
            out.append(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            index += 1
            out.append(UInt8(ascii: "["))
            if !consume(UInt8(ascii: "]")) {
                repeat {
                    try readCompactValue(into: &out, keys: &keys, depth: depth + 1, localPath: &localPath)
                } while consumeComma(into: &out)
                try expect(UInt8(ascii: "]"))
            }
            out.append(UInt8(ascii: "]"))
        case UInt8(ascii: "\""):
            try readCompactString(into: &out)
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            let start = index
            _ = try scanLiteral()
            copy(start..<index, to: &out)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            copy(try scanNumber(), to: &out)
        default:
            throw malformed("unexpected \(Self.describe(byte))")
        }
    }

    /// Appends the scanned bytes at `range` to `out` as one typed block (the raw buffer's append took the generic
    /// path: 16% more instructions for the same copies).
    @inline(__always)
    private func copy(_ range: Range<Int>, to out: inout CompactBuffer) {
        guard let base = bytes.baseAddress else { return }
        out.append(base.assumingMemoryBound(to: UInt8.self) + range.lowerBound, length: range.count)
    }

    /// A string: printable ASCII without escapes is copied as it is (DCE's escaping writes it unchanged); anything
    /// else is decoded and written in DCE's escaping.
    private mutating func readCompactString(into out: inout CompactBuffer) throws {
        let string = try scanStrictString()
        if string.isPlainASCII {
            copy(string.token.contents.lowerBound - 1..<string.token.contents.upperBound + 1, to: &out)
        } else {
            var encoded: [UInt8] = []
            DCEJSONEncoding.appendString(try validatedString(string.token), to: &encoded)
            out.append(contentsOf: encoded)
        }
    }
}

extension JSONValue {
    /// The scalar written compact (DCE's escaping) in `written`: a string without escapes (an id, a timestamp: every
    /// message has them) straight from its bytes, anything else read by a scanner.
    fileprivate static func scalar(_ written: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        let count = written.count
        if count >= 2, written[0] == UInt8(ascii: "\""), written[count - 1] == UInt8(ascii: "\""),
            !written[1..<count - 1].contains(UInt8(ascii: "\\"))
        {
            return .string(String(decoding: UnsafeBufferPointer(rebasing: written[1..<count - 1]), as: UTF8.self))
        }
        var scanner = JSONScanner(UnsafeRawBufferPointer(written))
        return try scanner.readValue()
    }
}
