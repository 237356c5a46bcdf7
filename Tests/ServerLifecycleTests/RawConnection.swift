import NIOCore
import NIOPosix

/// A plain TCP connection to a server on this machine, driven by the test byte by byte: it can send half a request
/// head, or a head and half a body, and then wait, which no HTTP client does on purpose. Non-blocking (NIO), so a
/// test waiting on it holds no thread of Swift's concurrency pool.
struct RawConnection {
    let inbound: NIOAsyncChannelInboundStream<ByteBuffer>
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Connects to `127.0.0.1:port`, runs `body` with the connection, then closes it.
    static func with<T: Sendable>(port: Int, _ body: (RawConnection) async throws -> T) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(RawConnection(inbound: inbound, outbound: outbound))
        }
    }

    /// Sends `text` (a request, or part of one).
    func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// Everything the server sends until it closes the connection (an error reading counts as the end).
    func readUntilClosed() async -> String {
        var text = ""
        do {
            for try await chunk in inbound { text += String(buffer: chunk) }
        } catch {}
        return text
    }
}
