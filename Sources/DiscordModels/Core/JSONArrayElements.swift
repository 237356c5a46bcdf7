import Foundation

/// Splits a JSON array into the exact byte ranges of its elements without building a tree, so each element
/// can be decoded and stored with its original text.
public enum JSONArrayElements {
    /// A malformed array, with the byte offset where scanning stopped.
    public struct MalformedArray: Error, CustomStringConvertible {
        /// The offset.
        public let offset: Int
        /// The reason.
        public let reason: String
        /// A textual representation.
        public var description: String { "malformed JSON array at byte \(offset): \(reason)" }
    }

    /// The elements of the top-level array in `data`, each as its own `Data`, whitespace trimmed.
    public static func split(_ data: Data) throws -> [Data] {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> [Data] in
            let bytes = buffer.bindMemory(to: UInt8.self)
            var index = 0
            let count = bytes.count
            func skipWhitespace() {
                while index < count,
                    bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D
                        || bytes[index] == 0x09
                {
                    index += 1
                }
            }
            skipWhitespace()
            guard index < count, bytes[index] == UInt8(ascii: "[") else {
                throw MalformedArray(offset: index, reason: "expected '['")
            }
            index += 1
            var elements: [Data] = []
            skipWhitespace()
            if index < count, bytes[index] == UInt8(ascii: "]") { return elements }
            while true {
                skipWhitespace()
                let start = index
                var depth = 0
                var inString = false
                scan: while index < count {
                    let byte = bytes[index]
                    if inString {
                        if byte == UInt8(ascii: "\\") {
                            index += 2
                            continue
                        }
                        if byte == UInt8(ascii: "\"") { inString = false }
                        index += 1
                        continue
                    }
                    switch byte {
                    case UInt8(ascii: "\""): inString = true
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        if depth == 0 { break scan }
                        depth -= 1
                    case UInt8(ascii: ","):
                        if depth == 0 { break scan }
                    default: break
                    }
                    index += 1
                }
                guard index < count, !inString, depth == 0 else {
                    throw MalformedArray(offset: index, reason: "unterminated element")
                }
                var end = index
                while end > start,
                    bytes[end - 1] == 0x20 || bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D
                        || bytes[end - 1] == 0x09
                {
                    end -= 1
                }
                guard end > start else { throw MalformedArray(offset: start, reason: "empty element") }
                elements.append(Data(UnsafeRawBufferPointer(rebasing: buffer[start..<end])))
                if bytes[index] == UInt8(ascii: "]") { return elements }
                index += 1
            }
        }
    }
}
