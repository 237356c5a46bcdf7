import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Wraps the connection setup of a Hummingbird server (HTTP/1.1, or HTTP/1.1 with a WebSocket upgrade) so that
/// every connection ends when the server stops, whatever its client does:
/// - when the graceful shutdown starts, a connection on which no request head has been decoded yet (nothing sent, or
///   half a head then silence) is closed at once (``AwaitingFirstRequestCloser``). Hummingbird's own HTTP/1.1 handler
///   closes its idle keep-alive connections then, and those part way through a later head, but a
///   WebSocket-upgradable connection has no such handler until its first request head has been read, so a client's
///   spare pooled connection (async-http-client opens them) held the shutdown for ever, and half a head for the
///   whole grace period;
/// - when the server's task is cancelled (the grace period of ``GracePeriodService`` is over), the connection is
///   closed. Hummingbird only closes the reading side, and a connection still waiting for its first request waits on
///   a future that cancellation does not reach.
public struct ShutdownAwareChildChannel<Inner: ServerChildChannel>: ServerChildChannel {
    /// What the wrapped setup gives for a connection.
    public typealias Value = Inner.Value

    let inner: Inner

    /// Wraps `inner`.
    public init(_ inner: Inner) {
        self.inner = inner
    }

    /// The wrapped setup (an HTTP/1.1 one: its request decoder is looked for), plus the
    /// ``AwaitingFirstRequestCloser`` right after the request decoder.
    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            // Right after the decoder: it sees each decoded head, and the quiesce event before any protocol handler
            // (the upgrade handler, Hummingbird's connection state handler) can swallow it.
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try operations.addHandler(AwaitingFirstRequestCloser(), position: .after(decoder))
            return value
        }
    }

    /// The wrapped handling; cancelled, it closes the connection.
    public func handle(value: Value, logger: Logger) async {
        await withTaskCancellationHandler {
            await inner.handle(value: value, logger: logger)
        } onCancel: {
            value.channel.close(promise: nil)
        }
    }
}
