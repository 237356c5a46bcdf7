/// A mirror failure in words (what, why, what to do).
public struct MirrorError: Error, CustomStringConvertible, Sendable {
    /// The message.
    public let message: String
    /// Makes an error.
    public init(message: String) { self.message = message }
    /// A textual representation.
    public var description: String { message }
}
