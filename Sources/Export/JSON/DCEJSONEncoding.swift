import DiscordModels

/// JSON text the way DiscordChatExporter writes it: System.Text.Json's `Utf8JsonWriter` with 2-space indentation
/// and the relaxed escaping encoder (`JavaScriptEncoder.UnsafeRelaxedJsonEscaping`).
public enum DCEJSONEncoding {
    private static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// Appends `text` as a quoted, escaped JSON string.
    public static func appendString(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendString(utf8: $0, to: &out) }
    }

    /// Appends valid UTF-8 text as a quoted, escaped JSON string: printable ASCII runs are copied as they are,
    /// everything else goes through the relaxed encoder's rules one scalar at a time.
    static func appendString(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let count = bytes.count
        var index = 0
        var runStart = 0
        while index < count {
            let byte = bytes[index]
            if byte >= 0x20, byte < 0x7F, byte != 0x22, byte != 0x5C {
                index += 1
                continue
            }
            if runStart < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            if byte < 0x80 {
                switch byte {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                default: appendEscape(UInt32(byte), to: &out)
                }
                index += 1
            } else {
                // A multi-byte scalar (the text is valid UTF-8).
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                var value = UInt32(byte) & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F)
                for offset in 1..<length { value = value << 6 | (UInt32(bytes[index + offset]) & 0x3F) }
                if value >= 0x10000 {
                    let offset = value - 0x10000
                    appendEscape(0xD800 + (offset >> 10), to: &out)
                    appendEscape(0xDC00 + (offset & 0x3FF), to: &out)
                } else if let scalar = Unicode.Scalar(value), !mustEscape(scalar) {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + length]))
                } else {
                    appendEscape(value, to: &out)
                }
                index += length
            }
            runStart = index
        }
        if runStart < count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<count])) }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends an integer in decimal.
    static func appendInt(_ value: Int, to out: inout [UInt8]) {
        if value >= 0, value < 10 {
            out.append(UInt8(truncatingIfNeeded: 48 + value))
            return
        }
        out.append(contentsOf: String(value).utf8)
    }

    /// Whether the relaxed encoder writes a BMP scalar as `\uXXXX`.
    static func mustEscape(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value == 0xFEFF { return true }
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate: return true
        case .spaceSeparator: return scalar.value != 0x20
        default: return false
        }
    }

    private static func appendEscape(_ value: UInt32, to out: inout [UInt8]) {
        out.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((value >> UInt32(shift)) & 0xF)]) }
    }

    /// Appends a value pretty-printed at nesting `depth` (its first token at the current position).
    public static func appendPretty(_ node: JSONValue, depth: Int, newline: [UInt8], to out: inout [UInt8]) {
        switch node {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let text): appendString(text, to: &out)
        case .array(let values):
            appendPrettyContainer(values, brackets: ("[", "]"), depth: depth, newline: newline, to: &out) {
                value, out in
                appendPretty(value, depth: depth + 1, newline: newline, to: &out)
            }
        case .object(let members):
            appendPrettyContainer(members, brackets: ("{", "}"), depth: depth, newline: newline, to: &out) {
                member, out in
                appendString(member.key, to: &out)
                out.append(contentsOf: [UInt8(ascii: ":"), 0x20])
                appendPretty(member.value, depth: depth + 1, newline: newline, to: &out)
            }
        }
    }

    /// An array or object pretty-printed: `[]`/`{}` when empty, else each element on its own indented line.
    private static func appendPrettyContainer<Element>(
        _ elements: [Element], brackets: (open: Unicode.Scalar, close: Unicode.Scalar), depth: Int,
        newline: [UInt8], to out: inout [UInt8], element: (Element, inout [UInt8]) -> Void
    ) {
        out.append(UInt8(ascii: brackets.open))
        guard !elements.isEmpty else {
            out.append(UInt8(ascii: brackets.close))
            return
        }
        for (position, value) in elements.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: newline)
            appendIndent(depth + 1, to: &out)
            element(value, &out)
        }
        out.append(contentsOf: newline)
        appendIndent(depth, to: &out)
        out.append(UInt8(ascii: brackets.close))
    }

    /// Appends a value without whitespace (the archive's storage form of imported DCE objects).
    public static func appendCompact(_ node: JSONValue, to out: inout [UInt8]) {
        switch node {
        case .null, .bool, .number, .string: appendPretty(node, depth: 0, newline: [], to: &out)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (position, value) in values.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                appendCompact(value, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (position, member) in members.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                appendString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                appendCompact(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A value without whitespace.
    public static func compact(_ node: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        appendCompact(node, to: &out)
        return out
    }

    static func appendIndent(_ depth: Int, to out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(0x20, count: depth * 2))
    }
}
