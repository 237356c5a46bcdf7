import Foundation

extension JSONScanner {
    /// The exact byte ranges of the elements of the top-level array in `data`, whitespace trimmed.
    /// - Throws: ``Malformed`` when `data` is not one array.
    public static func elementRanges(of data: Data) throws -> [Range<Int>] {
        try data.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            var ranges: [Range<Int>] = []
            try scanner.forEachElement { ranges.append($0) }
            try scanner.expectEnd()
            return ranges
        }
    }

    /// The elements of the top-level array in `data`, each as its own `Data` with its exact bytes.
    /// - Throws: ``Malformed`` when `data` is not one array.
    public static func elements(of data: Data) throws -> [Data] {
        try data.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            let reader = JSONScanner(buffer)
            var elements: [Data] = []
            try scanner.forEachElement { elements.append(reader.data($0)) }
            try scanner.expectEnd()
            return elements
        }
    }

    /// The exact bytes of the value of `key` in the top-level object of `data`; `nil` when absent or malformed.
    public static func member(_ key: String, in data: Data) -> Data? {
        let wanted = Array(key.utf8)
        return data.withUnsafeBytes { buffer -> Data? in
            var scanner = JSONScanner(buffer)
            let reader = JSONScanner(buffer)
            var found: Range<Int>?
            do {
                try scanner.forEachMember { name, value in
                    guard reader.key(name, is: wanted) else { return true }
                    found = value
                    return false
                }
            } catch {
                return nil
            }
            return found.map(reader.data)
        }
    }

    /// The byte range of the value of `key` in the top-level object of `data` when that value is an object (offsets
    /// from the start of `data`); `nil` when absent, not an object, or malformed.
    public static func memberRange(_ key: String, in data: Data) -> Range<Int>? {
        let wanted = Array(key.utf8)
        return data.withUnsafeBytes { buffer -> Range<Int>? in
            var scanner = JSONScanner(buffer)
            let reader = JSONScanner(buffer)
            var found: Range<Int>?
            do {
                try scanner.forEachMember { name, value in
                    guard reader.key(name, is: wanted) else { return true }
                    found = value
                    return false
                }
            } catch {
                return nil
            }
            guard let found, buffer[found.lowerBound] == UInt8(ascii: "{") else { return nil }
            return found
        }
    }

    /// The exact bytes of each top-level member of the object in `data` whose key is in `names`.
    /// - Throws: ``Malformed`` when `data` is not one object.
    public static func members(_ names: Set<String>, in data: Data) throws -> [String: Data] {
        try data.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            let reader = JSONScanner(buffer)
            var result: [String: Data] = [:]
            try scanner.forEachMember { key, value in
                let name = try reader.string(key)
                if names.contains(name) { result[name] = reader.data(value) }
                return true
            }
            try scanner.expectEnd()
            return result
        }
    }

    /// Parses `data` as one JSON value, strictly (numbers exact, object members in document order; a leading
    /// byte-order mark is skipped).
    /// - Throws: ``Malformed``.
    public static func value(of data: Data) throws -> JSONValue {
        try data.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { scanner.index = 3 }
            let value = try scanner.readValue()
            try scanner.expectEnd()
            return value
        }
    }

    /// Throws unless only whitespace remains.
    public mutating func expectEnd() throws {
        skipWhitespace()
        guard index == bytes.count else {
            throw Malformed(offset: index, reason: "unexpected \(Self.describe(bytes[index])) after the value")
        }
    }
}
