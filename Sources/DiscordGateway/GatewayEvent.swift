import Foundation

/// What a ``GatewayClient`` hands to its handler, in the order it happened.
public enum GatewayEvent: Sendable {
    /// A dispatch (op 0), READY and RESUMED included.
    case dispatch(GatewayDispatch)
    /// The session is live. `resumed` false means a new session (READY): events since the previous one may have
    /// been missed and must be fetched through REST.
    case ready(GatewayResumeState, resumed: Bool)
    /// The stored session was refused or lost; the next ``ready(_:resumed:)`` will be a new session.
    case sessionInvalidated
}

/// One dispatch: its name, sequence and the exact frame bytes (the `d` member holds the payload).
public struct GatewayDispatch: Sendable {
    /// The event name (`t`), e.g. `MESSAGE_CREATE`.
    public var name: String
    /// The sequence (`s`).
    public var sequence: Int
    /// The whole frame as received.
    public var frame: Data
    /// When the client received it.
    public var receivedAt: Date

    /// Makes a dispatch.
    public init(name: String, sequence: Int, frame: Data, receivedAt: Date) {
        self.name = name
        self.sequence = sequence
        self.frame = frame
        self.receivedAt = receivedAt
    }
}
