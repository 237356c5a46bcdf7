/// A mirror failure in words (what, why, what to do).
public struct MirrorError: Error, CustomStringConvertible, Sendable {
    /// The message.
    public let message: String
    /// The target's or the archive's error underneath, when there is one.
    public let underlying: (any Error & Sendable)?
    /// Makes an error.
    public init(message: String, underlying: (any Error & Sendable)? = nil) {
        self.message = message
        self.underlying = underlying
    }
    /// A textual representation.
    public var description: String { message }
}
