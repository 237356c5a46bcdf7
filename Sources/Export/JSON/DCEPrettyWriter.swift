import DiscordModels

/// Writes a DCE value as DCE's pretty JSON bytes (System.Text.Json's indented writer: 2 spaces, `"key": value`,
/// empty containers as `[]`/`{}`) while it is rendered, with no tree in between.
struct DCEPrettyWriter: DCEValueWriter {
    /// The bytes written so far.
    var out: [UInt8] = []
    let newline: [UInt8]
    /// The nesting of the first value (a message in a DCE document sits at depth 2).
    let baseDepth: Int
    /// For each open container: whether it has an element yet.
    private var open: [Bool] = []
    private var afterKey = false
    /// The bytes of memoized values by key and nesting (kept across ``reset()``; a few thousand at most).
    private var memo: [MemoKey: [UInt8]] = [:]

    private struct MemoKey: Hashable {
        var key: UserMemoKey
        var depth: Int
    }

    init(newline: [UInt8], baseDepth: Int) {
        self.newline = newline
        self.baseDepth = baseDepth
        out.reserveCapacity(1 << 17)
    }

    /// Starts the next top value afresh (the buffer is kept for reuse).
    mutating func reset() {
        out.removeAll(keepingCapacity: true)
        open.removeAll(keepingCapacity: true)
        afterKey = false
    }

    @inline(__always)
    private mutating func lineBreak(indent: Int) {
        out.append(contentsOf: newline)
        let width = indent * 2
        if width <= Self.spaces.count {
            Self.spaces.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<width])) }
        } else {
            out.append(contentsOf: repeatElement(0x20, count: width))
        }
    }

    /// Indentation copied in one append (deeper nesting is rare).
    private static let spaces = [UInt8](repeating: 0x20, count: 64)

    /// Before a value: a comma and a new line for an array element; nothing after a key or at the top.
    @inline(__always)
    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        guard let last = open.indices.last else { return }
        if open[last] { out.append(UInt8(ascii: ",")) }
        open[last] = true
        lineBreak(indent: baseDepth + open.count)
    }

    mutating func beginObject() {
        beforeValue()
        out.append(UInt8(ascii: "{"))
        open.append(false)
    }

    mutating func endObject() { close(UInt8(ascii: "}")) }

    mutating func beginArray() {
        beforeValue()
        out.append(UInt8(ascii: "["))
        open.append(false)
    }

    mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func close(_ bracket: UInt8) {
        if open.removeLast() { lineBreak(indent: baseDepth + open.count) }
        out.append(bracket)
    }

    mutating func key(_ name: StaticString) {
        let last = open.count - 1
        if open[last] { out.append(UInt8(ascii: ",")) }
        open[last] = true
        lineBreak(indent: baseDepth + open.count)
        out.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
        out.append(0x20)
        afterKey = true
    }

    mutating func string(_ text: String?) {
        beforeValue()
        if let text { DCEJSONEncoding.appendString(text, to: &out) } else { out.append(contentsOf: Self.null) }
    }

    /// Printable ASCII without escapes is copied as it is stored (DCE's escaping writes it unchanged); anything
    /// else is decoded and escaped DCE's way.
    mutating func string<J: JSONLookup>(_ value: J?, fallback: String?) {
        guard let value = value as? JSONSlice, let contents = value.printableASCIIContents else {
            string(value?.string ?? fallback)
            return
        }
        beforeValue()
        out.append(contentsOf: value.storage[contents.lowerBound - 1..<contents.upperBound + 1])
    }

    mutating func bool(_ value: Bool) {
        beforeValue()
        out.append(contentsOf: value ? Self.true : Self.false)
    }

    mutating func int(_ value: Int) {
        beforeValue()
        DCEJSONEncoding.appendInt(value, to: &out)
    }

    mutating func null() {
        beforeValue()
        out.append(contentsOf: Self.null)
    }

    mutating func node(_ value: JSONValue) {
        beforeValue()
        DCEJSONEncoding.appendPretty(value, depth: baseDepth + open.count, newline: newline, to: &out)
    }

    /// A stored compact DCE value (an imported message), pretty-printed byte for byte as ``node(_:)`` would.
    mutating func reindented(_ value: JSONSlice) throws {
        beforeValue()
        let depth = baseDepth + open.count
        do {
            try value.storage.withUnsafeBytes { bytes in
                try DCEJSONEncoding.appendPretty(
                    compact: UnsafeRawBufferPointer(rebasing: bytes[value.range]), depth: depth, newline: newline,
                    to: &out)
            }
        } catch let error as JSONScanner.Malformed {
            throw ExportError.malformed(error.reason, at: error.offset)
        }
    }

    /// Replays the bytes written for an equal key at the same nesting, or writes the value and keeps its bytes.
    mutating func memoized(_ key: UserMemoKey, _ write: (inout Self) -> Void) {
        beforeValue()
        let memoKey = MemoKey(key: key, depth: open.count)
        if let bytes = memo[memoKey] {
            out.append(contentsOf: bytes)
            return
        }
        // The value's own first token must not write the separator `beforeValue` just wrote.
        afterKey = true
        let start = out.count
        write(&self)
        if memo.count >= 4_096 { memo.removeAll(keepingCapacity: true) }
        memo[memoKey] = Array(out[start...])
    }

    private static let null: [UInt8] = Array("null".utf8)
    private static let `true`: [UInt8] = Array("true".utf8)
    private static let `false`: [UInt8] = Array("false".utf8)
}
