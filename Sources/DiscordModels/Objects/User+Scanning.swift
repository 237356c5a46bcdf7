import Foundation

extension User {
    /// Reads a user object's JSON with ``JSONScanner`` (no `JSONDecoder`): the archive's hot path reads the author
    /// and mentions of every page this way. Accepts and refuses what decoding a ``User`` with `JSONDecoder` does for
    /// its own members: `id` a decimal string or a number fitting `UInt64`, `username` a string, the optional
    /// members absent, `null` or of their type (integers for the `Int` members); other members are skipped without
    /// being checked further.
    /// - Throws: ``JSONScanner/Malformed`` when the bytes are not such an object.
    public init(scanning json: Data) throws {
        self = try json.withUnsafeBytes { buffer in
            var scanner = JSONScanner(buffer)
            let user = try Self.scan(&scanner)
            try scanner.expectEnd()
            return user
        }
    }

    private static func scan(_ scanner: inout JSONScanner) throws -> User {
        var id: UInt64?
        var username: String?
        var user = User(id: Snowflake(0), username: "", discriminator: nil)
        try scanner.scanMembers { key, scanner in
            switch key.contents.count {
            case 2 where scanner.key(key, is: "id"): id = try snowflake(&scanner)
            case 3 where scanner.key(key, is: "bot"): user.bot = try optionalBool(&scanner)
            case 5 where scanner.key(key, is: "flags"): user.flags = try optionalInt(&scanner)
            case 6 where scanner.key(key, is: "avatar"): user.avatar = try optionalString(&scanner)
            case 6 where scanner.key(key, is: "system"): user.system = try optionalBool(&scanner)
            case 6 where scanner.key(key, is: "banner"): user.banner = try optionalString(&scanner)
            case 8 where scanner.key(key, is: "username"):
                guard scanner.peek() == UInt8(ascii: "\"") else { throw scanner.malformed("username is not a string") }
                username = try scanner.string(scanner.scanString())
            case 11 where scanner.key(key, is: "global_name"): user.globalName = try optionalString(&scanner)
            case 12 where scanner.key(key, is: "accent_color"): user.accentColor = try optionalInt(&scanner)
            case 12 where scanner.key(key, is: "public_flags"): user.publicFlags = try optionalInt(&scanner)
            case 13 where scanner.key(key, is: "discriminator"): user.discriminator = try optionalString(&scanner)
            default: _ = try scanner.skipValue()
            }
        }
        guard let id, let username else { throw scanner.malformed("a user needs id and username") }
        user.id = Snowflake(id)
        user.username = username
        return user
    }

    /// A snowflake as ``DecimalString`` decodes it: a string `UInt64(_:)` reads, or a number fitting `UInt64`.
    private static func snowflake(_ scanner: inout JSONScanner) throws -> UInt64 {
        let value = try scanner.skipValue()
        if scanner.bytes[value.lowerBound] == UInt8(ascii: "\"") {
            // Digits only (what Discord sends) are read in place; anything else as `UInt64(String)` would.
            if let exact = scanner.unsignedInteger(value) { return exact }
            if let text = try scanner.string(in: value), let parsed = UInt64(text) { return parsed }
            throw scanner.malformed("id is not a decimal 64-bit integer", at: value.lowerBound)
        }
        guard let number = wholeNumber(scanner, value), number >= 0, number <= Double(UInt64.max) else {
            throw scanner.malformed("id is not a 64-bit unsigned integer", at: value.lowerBound)
        }
        return scanner.unsignedInteger(value) ?? UInt64(number)
    }

    private static func optionalString(_ scanner: inout JSONScanner) throws -> String? {
        if try scanner.skipNull() { return nil }
        guard scanner.peek() == UInt8(ascii: "\"") else { throw scanner.malformed("expected a string or null") }
        return try scanner.string(scanner.scanString())
    }

    private static func optionalBool(_ scanner: inout JSONScanner) throws -> Bool? {
        let value = try scanner.skipValue()
        switch value.count {
        case 4 where scanner.bytes[value.lowerBound] == UInt8(ascii: "t"): return true
        case 4 where scanner.isNull(value): return nil
        case 5 where scanner.bytes[value.lowerBound] == UInt8(ascii: "f"): return false
        default: throw scanner.malformed("expected a boolean or null", at: value.lowerBound)
        }
    }

    private static func optionalInt(_ scanner: inout JSONScanner) throws -> Int? {
        let value = try scanner.skipValue()
        if scanner.isNull(value) { return nil }
        if let exact = scanner.integer(value) { return Int(exact) }
        // `JSONDecoder` also takes a number with a fraction or exponent that is a whole `Int` (`1.0`, `1e3`).
        guard let number = wholeNumber(scanner, value), number >= Double(Int.min), number < Double(Int.max) else {
            throw scanner.malformed("expected an integer or null", at: value.lowerBound)
        }
        return Int(number)
    }

    /// A JSON number literal that is a whole number, as a `Double`.
    private static func wholeNumber(_ scanner: JSONScanner, _ value: Range<Int>) -> Double? {
        let first = scanner.bytes[value.lowerBound]
        guard first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return nil }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: scanner.bytes[value]), as: UTF8.self)
        guard let number = Double(text), number.isFinite, number.rounded(.towardZero) == number else { return nil }
        return number
    }
}
