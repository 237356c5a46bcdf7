import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket

/// Notes the code of the close frame a client sends, then passes every frame on unchanged.
///
/// The WebSocket layer answers close frames itself and does not tell the data handler which code the client
/// used; the gateway needs it, because a close with 1000 or 1001 ends the session and any other keeps it
/// resumable.
final class CloseCodeSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    let code: NIOLockedValueBox<UInt16?>

    init(code: NIOLockedValueBox<UInt16?>) { self.code = code }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if frame.opcode == .connectionClose {
            var payload = frame.unmaskedData
            let value = payload.readInteger(as: UInt16.self)
            code.withLockedValue { $0 = value }
        }
        context.fireChannelRead(data)
    }

    /// Inserts a sniffer right after the WebSocket frame decoder of `channel`.
    static func install(on channel: any Channel, code: NIOLockedValueBox<UInt16?>) async {
        try? await channel.eventLoop.submit {
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<WebSocketFrameDecoder>.self)
            try operations.addHandler(CloseCodeSniffer(code: code), position: .after(decoder))
        }.get()
    }
}
