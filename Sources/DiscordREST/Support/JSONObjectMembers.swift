import Foundation

/// Finds the exact bytes of top-level members of a JSON object without building a tree, so nested arrays
/// (`threads`, `items`) can be split into elements that keep their original text.
enum JSONObjectMembers {
    struct Malformed: Error, CustomStringConvertible {
        let offset: Int
        var description: String { "malformed JSON object at byte \(offset)" }
    }

    /// The raw value of each top-level key in `names` that is present.
    static func values(_ names: Set<String>, in data: Data) throws -> [String: Data] {
        let bytes = [UInt8](data)
        var index = 0
        var result: [String: Data] = [:]
        func skipWhitespace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }
        func skipString() throws {  // at the opening quote
            index += 1
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if bytes[index] == UInt8(ascii: "\"") {
                    index += 1
                    return
                }
                index += 1
            }
            throw Malformed(offset: index)
        }
        func skipValue() throws {
            skipWhitespace()
            guard index < bytes.count else { throw Malformed(offset: index) }
            var depth = 0
            repeat {
                guard index < bytes.count else { throw Malformed(offset: index) }
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    try skipString()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { return }
                    depth -= 1
                case UInt8(ascii: ","):
                    if depth == 0 { return }
                default: break
                }
                index += 1
            } while true
        }
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw Malformed(offset: index) }
        index += 1
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw Malformed(offset: index) }
            if bytes[index] == UInt8(ascii: "}") { return result }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "\"") else { throw Malformed(offset: index) }
            let keyStart = index
            try skipString()
            let key = try JSONDecoder().decode(String.self, from: Data(bytes[keyStart..<index]))
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Malformed(offset: index) }
            index += 1
            skipWhitespace()
            let valueStart = index
            try skipValue()
            if names.contains(key) {
                var end = index
                while end > valueStart, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[end - 1]) { end -= 1 }
                result[key] = Data(bytes[valueStart..<end])
            }
        }
    }
}
