/// An underlying error reduced to its (redacted) text.
struct RedactedError: Error, CustomStringConvertible {
    let text: String
    var description: String { text }
}
