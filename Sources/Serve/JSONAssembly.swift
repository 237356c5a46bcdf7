import Foundation

/// Joins stored JSON objects into arrays and objects without decoding them (the bytes stay exactly as stored).
enum JSONAssembly {
    /// `[a,b,c]`.
    static func array(_ items: [Data]) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(items.reduce(2) { $0 + $1.count + 1 })
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: item)
        }
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }

    /// `{"key":value,...}` from keys and raw JSON values, in order.
    static func object(_ members: [(String, [UInt8])]) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        for (index, (key, value)) in members.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: string(key))
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: value)
        }
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// A JSON string literal.
    static func string(_ text: String) -> [UInt8] {
        Array((try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8))
    }

    /// A JSON string literal, or `null`.
    static func string(_ text: String?) -> [UInt8] { text.map { string($0) } ?? Array("null".utf8) }
}
