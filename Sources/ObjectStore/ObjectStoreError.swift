/// A failure of `skald store` in words: what, on which object or chunk, why, and what to do.
public struct ObjectStoreError: Error, Sendable, CustomStringConvertible {
    /// The message.
    public let message: String

    /// Creates an error with its message.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
