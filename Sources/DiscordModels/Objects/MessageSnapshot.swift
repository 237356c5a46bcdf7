/// A forwarded message's frozen copy. Its `message` is partial, so it is kept as JSON.
public struct MessageSnapshot: Sendable, Hashable, Codable {
    public var message: JSONValue

    public init(message: JSONValue) { self.message = message }
}
