/// Why live capture stopped with an error.
public struct LiveError: Error, CustomStringConvertible, Sendable {
    /// What failed and what to do.
    public let message: String

    /// What failed and what to do.
    public var description: String { message }

    /// The gateway could not be reached or described.
    public static func gatewayUnavailable(_ detail: String) -> LiveError {
        LiveError(message: "cannot reach the gateway: \(detail)")
    }
}
