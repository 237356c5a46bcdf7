import DiscordModels

/// Receives one DCE value as the renderer produces it, token by token: ``DCEPrettyWriter`` writes DCE's JSON bytes
/// straight away (the JSON export), ``JSONValueBuilder`` builds a ``JSONValue`` (the HTML, CSV and text formats and
/// the viewer). The renderer is written once against this protocol, so both see the same message.
protocol DCEValueWriter {
    /// Opens an object (as the value of the last key, an array element or the top value).
    mutating func beginObject()
    /// Closes the innermost object.
    mutating func endObject()
    /// Opens an array.
    mutating func beginArray()
    /// Closes the innermost array.
    mutating func endArray()
    /// The next member's name (plain ASCII, no escapes needed).
    mutating func key(_ name: StaticString)
    /// A string, or `null` for `nil`.
    mutating func string(_ text: String?)
    /// A boolean.
    mutating func bool(_ value: Bool)
    /// An integer.
    mutating func int(_ value: Int)
    /// `null`.
    mutating func null()
    /// A value built beforehand.
    mutating func node(_ value: JSONValue)
    /// A string read from a JSON value (its text; `fallback`, else `null`, when absent or not a string).
    mutating func string<J: JSONLookup>(_ value: J?, fallback: String?)
    /// One value that `key` determines completely, written by `write`: a writer may replay what it wrote for an
    /// equal key before instead of running `write` again.
    mutating func memoized(_ key: UserMemoKey, _ write: (inout Self) -> Void)
}

extension DCEValueWriter {
    /// Runs `write` (no memory of earlier values).
    mutating func memoized(_ key: UserMemoKey, _ write: (inout Self) -> Void) { write(&self) }

    /// Writes the value's text through ``string(_:)``.
    mutating func string<J: JSONLookup>(_ value: J?, fallback: String?) { string(value?.string ?? fallback) }

    /// `"name": text` of a JSON value (`fallback`, else `null`, when absent or not a string).
    mutating func member<J: JSONLookup>(_ name: StaticString, _ value: J?, fallback: String? = nil) {
        key(name)
        string(value, fallback: fallback)
    }

    /// `"name": "text"` (or `null`).
    mutating func member(_ name: StaticString, _ text: String?) {
        key(name)
        string(text)
    }

    /// `"name": true|false`.
    mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// `"name": 42`.
    mutating func member(_ name: StaticString, int value: Int) {
        key(name)
        int(value)
    }
}
