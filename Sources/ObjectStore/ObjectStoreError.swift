/// A failure of `skald store` in words: what, on which object or chunk, why, and what to do.
public struct ObjectStoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure it is, where a caller decides by it (most are ``Reason/other``).
    enum Reason: Sendable, Hashable {
        /// The source file no longer holds what an interrupted upload posted of it.
        case sourceChanged
        /// The passphrase does not open the object's key check.
        case wrongPassphrase
        /// The object (its archive id and name) is encrypted and no passphrase was given.
        case keyMissing(object: String)
        /// Anything else.
        case other
    }

    /// The message.
    public let message: String
    let reason: Reason

    /// Creates an error with its message.
    public init(_ message: String) { self.init(message, reason: .other) }

    init(_ message: String, reason: Reason) {
        self.message = message
        self.reason = reason
    }

    /// The message.
    public var description: String { message }
}
