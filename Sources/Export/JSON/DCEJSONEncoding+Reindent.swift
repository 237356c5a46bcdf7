import DiscordModels

extension DCEJSONEncoding {
    /// Appends stored compact DCE JSON (an imported message: DCE's escaping, no whitespace) pretty-printed at
    /// nesting `depth`, byte for byte what ``appendPretty(_:depth:newline:to:)`` writes for its tree: strings and
    /// numbers are copied as stored, only whitespace is added.
    /// - Throws: ``JSONScanner/Malformed`` for bytes that are not JSON.
    static func appendPretty(
        compact bytes: UnsafeRawBufferPointer, depth: Int, newline: [UInt8], to out: inout [UInt8]
    ) throws {
        var scanner = JSONScanner(bytes)
        try reindent(&scanner, depth: depth, newline: newline, to: &out)
        try scanner.expectEnd()
    }

    private static func reindent(
        _ scanner: inout JSONScanner, depth: Int, newline: [UInt8], to out: inout [UInt8]
    ) throws {
        guard depth < 512 else { throw JSONScanner.Malformed(offset: scanner.index, reason: "nested too deeply") }
        guard let byte = scanner.peek() else {
            throw JSONScanner.Malformed(offset: scanner.index, reason: "expected a value")
        }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let isObject = byte == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            scanner.index += 1
            out.append(byte)
            if scanner.consume(close) {
                out.append(close)
                return
            }
            var first = true
            repeat {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                out.append(contentsOf: newline)
                appendIndent(depth + 1, to: &out)
                if isObject {
                    let key = try scanner.scanString()
                    try scanner.expect(UInt8(ascii: ":"))
                    out.append(contentsOf: scanner.bytes[key.contents.lowerBound - 1..<key.contents.upperBound + 1])
                    out.append(contentsOf: [UInt8(ascii: ":"), 0x20])
                }
                try reindent(&scanner, depth: depth + 1, newline: newline, to: &out)
            } while scanner.consume(UInt8(ascii: ","))
            try scanner.expect(close)
            out.append(contentsOf: newline)
            appendIndent(depth, to: &out)
            out.append(close)
        default:
            let range = try scanner.skipValue()
            out.append(contentsOf: scanner.bytes[range])
        }
    }
}
