/// What a gateway connection's writer sends next: a JSON text frame, or a close frame that ends the connection.
enum GatewayOutbound: Sendable {
    case text([UInt8])
    case close(code: UInt16, reason: String)
}
