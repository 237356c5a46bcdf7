import NIOCore
import NIOHTTP1

/// Closes its connection when the server begins to shut down (NIO's `ChannelShouldQuiesceEvent`) if no request head
/// has been decoded on it yet: the client sent nothing, or only part of a head (a slow or stalled client), so no
/// request of it is with the application and none can be answered once the server stops.
///
/// It sits right after the HTTP/1.1 request decoder and leaves the pipeline with the first request head; from then on
/// the protocol's handlers take the event: Hummingbird's `HTTPConnectionStateHandler` lets the request in flight
/// finish (its body may still be arriving), then closes, and closes at once a connection that is idle or only part
/// way through a later head; a connection upgraded to a WebSocket ends through its own handler. Hummingbird's
/// WebSocket-upgradable connection has no such handler until its first head has been read, so without this one a
/// client's spare pooled connection (async-http-client opens them), or half a head then silence, held the shutdown
/// for the whole grace period.
final class AwaitingFirstRequestCloser: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let isHead = if case .head = unwrapInboundIn(data) { true } else { false }
        context.fireChannelRead(data)
        if isHead {
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
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
extension AwaitingFirstRequestCloser: Sendable {}
