/// What a server saw on one connection (reported by ``ObservedChildChannel``).
enum ConnectionEvent: Equatable, Sendable {
    /// Bytes from the client were read and passed on to the protocol's handlers.
    case read
    /// The graceful shutdown's `ChannelShouldQuiesceEvent` was passed on and handled.
    case quiesced
}
