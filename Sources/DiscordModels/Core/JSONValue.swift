/// Skald's one exact JSON tree, for the parts of a payload Skald keeps without interpreting (components, activity,
/// unknown fields), DCE documents and archived objects the exporter reads as trees. Objects keep their members in
/// document order (a repeated key keeps every occurrence); numbers keep their exact text, so an id or a nonce above
/// 2^53 keeps its digits and `1.50` is written back as `1.50`. Built from bytes by ``JSONScanner/value(of:)``;
/// decoding through `Codable` does not promise document order or number text (Foundation gives neither).
public indirect enum JSONValue: Sendable, Hashable, Codable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, exactly as written (`42`, `-1.5e3`).
    case number(String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object: members in document order.
    case object([Member])

    /// One member of an object.
    public struct Member: Sendable, Hashable {
        /// The key.
        public var key: String
        /// The value.
        public var value: JSONValue

        /// Makes a member.
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// A number node from an integer.
    public static func integer(_ value: Int64) -> JSONValue { .number(String(value)) }

    /// A number node from an integer.
    public static func int(_ value: Int) -> JSONValue { .number(String(value)) }

    /// A string node, or `null` for `nil`.
    public static func string(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }

    /// Decodes the value from its JSON form.
    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: AnyCodingKey.self) {
            // Foundation does not report keys in document order; the raw JSON beside a model is the exact form.
            var members: [Member] = []
            for key in keyed.allKeys {
                members.append(Member(key.stringValue, try keyed.decode(JSONValue.self, forKey: key)))
            }
            self = .object(members)
            return
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var values: [JSONValue] = []
            while !unkeyed.isAtEnd { values.append(try unkeyed.decode(JSONValue.self)) }
            self = .array(values)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let value = try? single.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? single.decode(Int64.self) {
            self = .number(String(value))
        } else if let value = try? single.decode(UInt64.self) {
            self = .number(String(value))
        } else if let value = try? single.decode(Double.self) {
            self = .number(String(value))
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    /// Encodes the value in its JSON form (a number as the integer or double its text spells).
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .number(let text):
            var container = encoder.singleValueContainer()
            if let value = Int64(text) {
                try container.encode(value)
            } else if let value = UInt64(text) {
                try container.encode(value)
            } else if let value = Double(text) {
                if value.rounded() == value, abs(value) < 9.0e15 {
                    try container.encode(Int64(value))
                } else {
                    try container.encode(value)
                }
            } else {
                throw EncodingError.invalidValue(
                    text, .init(codingPath: encoder.codingPath, debugDescription: "not a JSON number: \(text)"))
            }
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .object(let members):
            var container = encoder.container(keyedBy: AnyCodingKey.self)
            for member in members { try container.encode(member.value, forKey: AnyCodingKey(member.key)) }
        }
    }

    /// The first member named `key` of an object, or `nil` (also for non-objects).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The text of a string, or `nil`.
    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The text of a string that is not blank, or `nil`.
    public var nonBlankString: String? {
        guard let text = string, !text.allSatisfy(\.isWhitespace) else { return nil }
        return text
    }

    /// An integer from a number or a decimal string, or `nil`.
    public var int: Int? {
        switch self {
        case .number(let text):
            // `1e3` is an integer too; `1e30` does not fit and is nil, never a trap.
            return Int(text) ?? Double(text).flatMap { Int(exactly: $0.rounded(.towardZero)) }
        case .string(let text): return Int(text)
        default: return nil
        }
    }

    /// The exact integer a number spells, if it is an integer literal that fits `Int64`.
    public var integer: Int64? {
        if case .number(let text) = self { return Int64(text) }
        return nil
    }

    /// A number's value as a `Double`, or `nil`.
    public var double: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    /// An unsigned 64-bit id from a decimal string or number (snowflakes), or `nil`.
    public var uint64: UInt64? {
        switch self {
        case .number(let text), .string(let text): return UInt64(text)
        default: return nil
        }
    }

    /// A boolean, or `nil`.
    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The elements of an array (empty for anything else).
    public var elements: [JSONValue] {
        if case .array(let values) = self { return values }
        return []
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Whether this is an object.
    public var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}

/// A coding key made from any string.
public struct AnyCodingKey: CodingKey, Sendable {
    /// The string value.
    public let stringValue: String
    /// The int value.
    public let intValue: Int?
    /// Makes an `AnyCodingKey`.
    public init(_ string: String) {
        self.stringValue = string
        self.intValue = nil
    }
    /// Makes an `AnyCodingKey`.
    public init?(stringValue: String) { self.init(stringValue) }
    /// Makes an `AnyCodingKey`.
    public init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}
