import HummingbirdCore
import Logging
import NIOCore

/// Wraps the connection setup of a Hummingbird server (HTTP/1.1, or HTTP/1.1 with a WebSocket upgrade) so that
/// every connection ends when the server stops, whatever its client does:
/// - when the graceful shutdown starts, a connection that has not sent a byte is closed at once
///   (``SilentConnectionCloser``). Hummingbird's own HTTP/1.1 handler closes its idle keep-alive connections then,
///   but a WebSocket-upgradable connection has no such handler until its first request has been read, so a client's
///   spare pooled connection (async-http-client opens them) held the shutdown for ever;
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

    /// The wrapped setup, plus the ``SilentConnectionCloser`` first in the pipeline.
    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            // First in the pipeline, so it sees the quiesce event before any protocol handler can swallow it.
            try channel.pipeline.syncOperations.addHandler(SilentConnectionCloser(), position: .first)
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
