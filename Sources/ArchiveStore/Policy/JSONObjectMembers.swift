import Foundation

/// Finds the exact bytes of a top-level member of a JSON object without building a tree, so a nested object
/// (a message's `author`) can be stored with its original text, and quickly.
public enum JSONObjectMembers {
    /// The value of `key` in the top-level object of `data`, whitespace trimmed; `nil` when absent or malformed.
    public static func value(forKey key: String, in data: Data) -> Data? {
        let wanted = Array(key.utf8)
        return data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Data? in
            let bytes = buffer.bindMemory(to: UInt8.self)
            let count = bytes.count
            var index = 0
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
            func skipSpace() { while index < count, isSpace(bytes[index]) { index += 1 } }
            /// Moves past a string starting at `index` (a quote); returns the range of its raw contents.
            func skipString() -> Range<Int>? {
                guard index < count, bytes[index] == UInt8(ascii: "\"") else { return nil }
                index += 1
                let start = index
                while index < count {
                    if bytes[index] == UInt8(ascii: "\\") {
                        index += 2
                        continue
                    }
                    if bytes[index] == UInt8(ascii: "\"") {
                        index += 1
                        return start..<index - 1
                    }
                    index += 1
                }
                return nil
            }
            /// Moves past a value; returns its range.
            func skipValue() -> Range<Int>? {
                let start = index
                var depth = 0
                while index < count {
                    let byte = bytes[index]
                    switch byte {
                    case UInt8(ascii: "\""):
                        guard skipString() != nil else { return nil }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        if depth == 0 { return start..<index }
                        depth -= 1
                    case UInt8(ascii: ","):
                        if depth == 0 { return start..<index }
                    default: break
                    }
                    index += 1
                }
                return nil
            }
            skipSpace()
            guard index < count, bytes[index] == UInt8(ascii: "{") else { return nil }
            index += 1
            while true {
                skipSpace()
                guard let keyRange = skipString() else { return nil }
                skipSpace()
                guard index < count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                skipSpace()
                guard var valueRange = skipValue() else { return nil }
                while valueRange.upperBound > valueRange.lowerBound, isSpace(bytes[valueRange.upperBound - 1]) {
                    valueRange = valueRange.lowerBound..<valueRange.upperBound - 1
                }
                if keyRange.count == wanted.count, zip(bytes[keyRange], wanted).allSatisfy({ $0 == $1 }) {
                    return valueRange.isEmpty
                        ? nil : Data(UnsafeRawBufferPointer(rebasing: buffer[valueRange]))
                }
                guard index < count, bytes[index] == UInt8(ascii: ",") else { return nil }
                index += 1
            }
        }
    }
}
