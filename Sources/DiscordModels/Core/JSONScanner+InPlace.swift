extension JSONScanner {
    /// Calls `body` with each member key of the object that comes next and the scanner standing at the member's
    /// value, which `body` must move past (reading it, or with ``skipValue()``); then moves past the object. One
    /// pass: a value read by `body` is not skipped first.
    mutating func scanMembers(_ body: (StringToken, inout JSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        if consume(UInt8(ascii: "}")) { return }
        let count = bytes.count
        while true {
            let key: StringToken
            // Compact JSON: the key's quote, then its colon, with no whitespace to look past.
            if index < count, bytes[index] == UInt8(ascii: "\"") {
                let start = index + 1
                let escaped = try skipStringContents(from: start)
                key = StringToken(contents: start..<index - 1, isEscaped: escaped)
            } else {
                key = try scanString()
            }
            if index < count, bytes[index] == UInt8(ascii: ":") {
                index += 1
            } else {
                try expect(UInt8(ascii: ":"))
            }
            skipWhitespace()
            try body(key, &self)
            if index < count {
                let next = bytes[index]
                if next == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if next == UInt8(ascii: "}") {
                    index += 1
                    return
                }
            }
            if consume(UInt8(ascii: "}")) { return }
            guard consume(UInt8(ascii: ",")) else { throw Malformed(offset: index, reason: "expected ',' or '}'") }
            skipWhitespace()
        }
    }

    /// Calls `body` with the scanner standing at each element of the array that comes next, which `body` must move
    /// past; then moves past the array.
    mutating func scanElements(_ body: (inout JSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        if consume(UInt8(ascii: "]")) { return }
        while true {
            skipWhitespace()
            try body(&self)
            if consume(UInt8(ascii: "]")) { return }
            guard consume(UInt8(ascii: ",")) else { throw Malformed(offset: index, reason: "expected ',' or ']'") }
        }
    }

    /// Whether the value that comes next is the literal `null` (then moved past), else the scanner is unmoved.
    mutating func skipNull() throws -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        _ = try skipValue()
        return true
    }

    /// Moves past the string value that comes next and returns it (`nil`, moved past, when it is not a string).
    mutating func readString() throws -> String? {
        guard peek() == UInt8(ascii: "\"") else {
            _ = try skipValue()
            return nil
        }
        return try string(scanString())
    }

    /// Moves past the string value that comes next and returns where its contents are, unread (`nil`, moved past,
    /// when it is not a string): no `String` is made. A string with escapes is checked to unescape (a malformed
    /// escape throws here, as reading it would).
    mutating func readText() throws -> IndexedText? {
        guard peek() == UInt8(ascii: "\"") else {
            _ = try skipValue()
            return nil
        }
        let token = try scanString()
        if token.isEscaped {
            let raw = UnsafeRawBufferPointer(rebasing: bytes[token.contents])
            try withUnsafeTemporaryAllocation(byteCount: raw.count, alignment: 1) { buffer in
                _ = try Self.unescape(raw, into: buffer, at: token.contents.lowerBound)
            }
        }
        return IndexedText(contents: token.contents, isEscaped: token.isEscaped)
    }
}

extension JSONScanner {
    /// Moves past the value that comes next and returns it as ``unsignedInteger(_:)`` reads it.
    mutating func readUnsignedInteger() throws -> UInt64? {
        let value = try skipValue()
        return unsignedInteger(value)
    }

    /// Moves past the value that comes next and returns it as ``integer(_:)`` reads it.
    mutating func readInteger() throws -> Int64? {
        let value = try skipValue()
        return integer(value)
    }
}
