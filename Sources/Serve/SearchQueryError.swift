/// A query the search cannot run, with what to change.
public struct SearchQueryError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and what to do.
    public let message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
