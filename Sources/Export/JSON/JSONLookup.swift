import DiscordModels

/// Read access to a JSON value, as the DCE renderer needs it: the same renderer reads archived messages as byte
/// views straight from the stored JSON (``JSONSlice``, the JSON export) and as trees (``JSONValue``, HTML and the
/// viewer), so both formats see the same message.
protocol JSONLookup {
    /// The first member named `key` of an object, or `nil` (also for non-objects).
    subscript(key: StaticString) -> Self? { get }
    /// The text of a string, or `nil`.
    var string: String? { get }
    /// An integer from a number or a decimal string, or `nil`.
    var int: Int? { get }
    /// An unsigned 64-bit id from a decimal string or number (snowflakes), or `nil`.
    var uint64: UInt64? { get }
    /// A boolean, or `nil`.
    var bool: Bool? { get }
    /// The elements of an array (empty for anything else).
    var elements: [Self] { get }
    /// Whether this is an object.
    var isObject: Bool { get }
}

extension JSONLookup {
    /// The text of a string that is not blank, or `nil`.
    var nonBlankString: String? {
        guard let text = string, !text.allSatisfy(\.isWhitespace) else { return nil }
        return text
    }
}
