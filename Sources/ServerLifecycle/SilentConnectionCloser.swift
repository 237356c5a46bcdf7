import NIOCore

/// Closes its connection when the server begins to shut down (NIO's `ChannelShouldQuiesceEvent`) if the client has
/// not sent a single byte on it: no request is in flight there, and none can be answered once the server stops.
/// It leaves the pipeline with the first bytes read; from then on the protocol's handlers take the event (Hummingbird's
/// HTTP/1.1 handler closes an idle keep-alive connection at once, or after the response in flight).
final class SilentConnectionCloser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

@available(*, unavailable)
extension SilentConnectionCloser: Sendable {}
