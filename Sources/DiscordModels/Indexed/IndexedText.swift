import Foundation

/// A text member of an ``IndexedMessage``, located in the message's JSON bytes instead of copied out of them: the
/// byte range of the string's contents between its quotes (offsets from the start of ``IndexedMessage/json``) and
/// whether a backslash occurs in them, both found while the page was scanned. A text without escapes *is* its
/// UTF-8 bytes: a writer binds them straight from the page (``withUTF8(in:_:)``), with no `String` made and no
/// allocation; only a text with escapes is unescaped, into a temporary buffer.
///
/// A message indexed from a decoded model whose bytes do not hold the text keeps the model's `String` instead.
///
/// ```swift
/// message.json.withUnsafeBytes { json in
///     message.contentText.withUTF8(in: json) { bytes in bind(bytes) }   // the page's own bytes when unescaped
/// }
/// let content = message.content                                         // a String, off the hot path
/// ```
///
/// Two texts compare by what they say only through their message (``IndexedMessage``'s `==`): the range alone means
/// nothing without the bytes, so this type is not `Equatable`.
public struct IndexedText: Sendable {
    private enum Storage: Sendable {
        /// The string's contents at this byte range of the message's JSON, with or without escapes.
        case located(Range<Int>, isEscaped: Bool)
        /// The text itself (a message indexed from a model, its bytes not scanned).
        case decoded(String)
    }

    private let storage: Storage

    /// The text whose raw contents (between the quotes) are at `contents` of the message's JSON.
    public init(contents: Range<Int>, isEscaped: Bool) {
        storage = .located(contents, isEscaped: isEscaped)
    }

    /// A text given as a `String` (not located in the message's bytes).
    public init(_ text: String) {
        storage = .decoded(text)
    }

    /// The same text, its range moved `offset` bytes towards the start (for a message scanned inside its page).
    func rebased(by offset: Int) -> IndexedText {
        guard case .located(let contents, let isEscaped) = storage else { return self }
        return IndexedText(contents: contents.lowerBound - offset..<contents.upperBound - offset, isEscaped: isEscaped)
    }

    /// Whether the text's UTF-8 is a slice of the message's bytes as they are (no escape to resolve).
    public var isVerbatim: Bool {
        if case .located(_, isEscaped: false) = storage { return true }
        return false
    }

    /// Calls `body` with the text's UTF-8, `json` being the message's JSON bytes: the slice of `json` itself when
    /// the text has no escape (no copy, no allocation), else the text unescaped into a temporary buffer (on the
    /// stack when small), or the `String`'s own bytes. The bytes are valid only inside `body`. The scanner checked the
    /// escapes of the texts it located (a malformed one fails the message); one given by ``init(contents:isEscaped:)``
    /// with a malformed escape reads as empty.
    public func withUTF8<R>(in json: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows
        -> R
    {
        switch storage {
        case .located(let contents, false):
            return try body(UnsafeRawBufferPointer(rebasing: json[contents]))
        case .located(let contents, true):
            let raw = UnsafeRawBufferPointer(rebasing: json[contents])
            return try withUnsafeTemporaryAllocation(byteCount: raw.count, alignment: 1) { buffer in
                let count = (try? JSONScanner.unescape(raw, into: buffer)) ?? 0
                return try body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            }
        case .decoded(let text):
            var text = text
            return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        }
    }

    /// The text as a `String`, `json` being the message's JSON (for the code off the hot path).
    public func string(in json: Data) -> String {
        if case .decoded(let text) = storage { return text }
        return json.withUnsafeBytes { json in withUTF8(in: json) { String(decoding: $0, as: UTF8.self) } }
    }
}
