/// A forwarded message's frozen copy. Its `message` is partial, so it is kept as JSON.
public struct MessageSnapshot: Sendable, Hashable, Codable {
    /// Discord's `message` field.
    public var message: JSONValue

    /// Makes a `MessageSnapshot`.
    public init(message: JSONValue) { self.message = message }
}
