/// A JSON value as Skald's exporter and importer read and write it: objects keep their key order, numbers keep
/// their exact text, strings are decoded text. Used for DCE documents and for Discord's stored JSON.
public indirect enum JSONNode: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number, as written in the source (`42`, `-1.5e3`).
    case number(String)
    case string(String)
    case array([JSONNode])
    /// An object: members in document order (a repeated key keeps every occurrence).
    case object([Member])

    /// One member of an object.
    public struct Member: Sendable, Hashable {
        /// The key.
        public var key: String
        /// The value.
        public var value: JSONNode

        /// Makes a member.
        public init(_ key: String, _ value: JSONNode) {
            self.key = key
            self.value = value
        }
    }

    /// The first member named `key` of an object, or `nil` (also for non-objects).
    public subscript(key: String) -> JSONNode? {
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
        case .number(let text): return Int(text) ?? Double(text).map { Int($0) }
        case .string(let text): return Int(text)
        default: return nil
        }
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
    public var elements: [JSONNode] {
        if case .array(let values) = self { return values }
        return []
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A string node, or `null` for `nil`.
    public static func string(_ text: String?) -> JSONNode { text.map { .string($0) } ?? .null }

    /// A number node from an integer.
    public static func int(_ value: Int) -> JSONNode { .number(String(value)) }
}
