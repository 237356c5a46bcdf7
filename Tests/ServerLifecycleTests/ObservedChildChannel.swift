import HummingbirdCore
import Logging
import NIOCore

/// Wraps a server's connection setup with a handler first in each connection's pipeline that reports what the
/// server saw on it, so a test waits for the event instead of for time: the client's bytes have been read, the
/// shutdown's quiesce event has been handled (the handlers after this one have taken their decision).
struct ObservedChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value

    let inner: Inner
    let events: AsyncStream<ConnectionEvent>.Continuation

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            try channel.pipeline.syncOperations.addHandler(Recorder(events: events), position: .first)
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }

    /// Reports each read and quiesce event once the rest of the pipeline has handled it.
    final class Recorder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer

        let events: AsyncStream<ConnectionEvent>.Continuation

        init(events: AsyncStream<ConnectionEvent>.Continuation) {
            self.events = events
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.fireChannelRead(data)
            events.yield(.read)
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            context.fireUserInboundEventTriggered(event)
            if event is ChannelShouldQuiesceEvent { events.yield(.quiesced) }
        }
    }
}

@available(*, unavailable)
extension ObservedChildChannel.Recorder: Sendable {}
