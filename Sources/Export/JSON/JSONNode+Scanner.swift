import DiscordModels
import Foundation

extension JSONNode {
    /// Parses a complete JSON text held in memory (stored JSON: archived Discord objects, imported DCE messages)
    /// with the codebase's one byte scanner, ``JSONScanner``.
    /// - Throws: ``ExportError`` with the byte position of the first problem.
    public static func parse(_ data: Data) throws -> JSONNode {
        try data.withUnsafeBytes { try parse(buffer: $0) }
    }

    /// Parses a complete JSON text held in memory (see ``parse(_:)-(Data)``).
    public static func parse(_ bytes: some Collection<UInt8>) throws -> JSONNode {
        try Array(bytes).withUnsafeBytes { try parse(buffer: $0) }
    }

    private static func parse(buffer: UnsafeRawBufferPointer) throws -> JSONNode {
        var scanner = JSONScanner(buffer)
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { scanner.index = 3 }
        do {
            let value = try node(&scanner, depth: 0)
            try scanner.expectEnd()
            return value
        } catch let error as JSONScanner.Malformed {
            throw ExportError.malformed(error.reason, at: error.offset)
        }
    }

    private static func node(_ scanner: inout JSONScanner, depth: Int) throws -> JSONNode {
        guard depth < 512 else { throw JSONScanner.Malformed(offset: scanner.index, reason: "nesting deeper than 512") }
        guard let byte = scanner.peek() else {
            throw JSONScanner.Malformed(offset: scanner.index, reason: "expected a value, found the end")
        }
        switch byte {
        case UInt8(ascii: "{"):
            scanner.index += 1
            var members: [Member] = []
            if scanner.consume(UInt8(ascii: "}")) { return .object(members) }
            while true {
                let key = try scanner.string(scanner.scanString())
                try scanner.expect(UInt8(ascii: ":"))
                members.append(Member(key, try node(&scanner, depth: depth + 1)))
                if scanner.consume(UInt8(ascii: "}")) { return .object(members) }
                guard scanner.consume(UInt8(ascii: ",")) else {
                    throw JSONScanner.Malformed(offset: scanner.index, reason: "expected ',' or '}'")
                }
            }
        case UInt8(ascii: "["):
            scanner.index += 1
            var values: [JSONNode] = []
            if scanner.consume(UInt8(ascii: "]")) { return .array(values) }
            while true {
                values.append(try node(&scanner, depth: depth + 1))
                if scanner.consume(UInt8(ascii: "]")) { return .array(values) }
                guard scanner.consume(UInt8(ascii: ",")) else {
                    throw JSONScanner.Malformed(offset: scanner.index, reason: "expected ',' or ']'")
                }
            }
        case UInt8(ascii: "\""):
            return .string(try scanner.string(scanner.scanString()))
        default:
            let range = try scanner.skipValue()
            let raw = UnsafeRawBufferPointer(rebasing: scanner.bytes[range])
            if raw.elementsEqual("null".utf8) { return .null }
            if raw.elementsEqual("true".utf8) { return .bool(true) }
            if raw.elementsEqual("false".utf8) { return .bool(false) }
            guard isNumber(raw) else {
                throw JSONScanner.Malformed(offset: range.lowerBound, reason: "invalid literal")
            }
            return .number(String(decoding: raw, as: UTF8.self))
        }
    }

    /// Whether bytes are a JSON number: `-?digits(.digits)?([eE][+-]?digits)?`.
    private static func isNumber(_ raw: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        func digits() -> Bool {
            let start = i
            while i < raw.count, raw[i] >= 48, raw[i] <= 57 { i += 1 }
            return i > start
        }
        if i < raw.count, raw[i] == UInt8(ascii: "-") { i += 1 }
        guard digits() else { return false }
        if i < raw.count, raw[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() else { return false }
        }
        if i < raw.count, raw[i] == UInt8(ascii: "e") || raw[i] == UInt8(ascii: "E") {
            i += 1
            if i < raw.count, raw[i] == UInt8(ascii: "+") || raw[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() else { return false }
        }
        return i == raw.count
    }
}
