/// How Discord sends its 64-bit unsigned values (ids, permission sets): a decimal string, since JSON numbers lose
/// digits above 2^53 in most readers; a bare JSON number is tolerated on the way in.
enum DecimalString {
    /// Decodes the value; a string that is not a decimal 64-bit integer fails as `"<what> is not a decimal 64-bit
    /// integer: <text>"`.
    static func decode(from decoder: any Decoder, what: String) throws -> UInt64 {
        let container = try decoder.singleValueContainer()
        guard let text = try? container.decode(String.self) else { return try container.decode(UInt64.self) }
        guard let value = UInt64(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\(what) is not a decimal 64-bit integer: \(text)")
        }
        return value
    }

    /// Encodes `value` as a decimal string.
    static func encode(_ value: UInt64, to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }
}
