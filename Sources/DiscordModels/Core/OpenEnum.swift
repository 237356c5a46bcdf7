/// A Discord enumeration that never fails to decode: values Discord adds later land in an
/// `unknown(RawValue)` case and are written back unchanged.
public protocol OpenEnum: RawRepresentable, Codable, Hashable, Sendable
where RawValue: Codable & Hashable & Sendable {
    /// Every raw value maps to a case; unknown ones to `unknown(rawValue)`.
    init(rawValue: RawValue)
}

extension OpenEnum {
    /// Decodes the value from its JSON form.
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(RawValue.self))
    }

    /// Encodes the value in its JSON form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
