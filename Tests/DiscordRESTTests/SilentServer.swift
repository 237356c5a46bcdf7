import NIOCore
import NIOPosix

/// A TCP server on 127.0.0.1 that reads every request and never answers: for a client's deadline and cancellation.
/// `requests` yields once per connection, when its first bytes arrive (the request reached the server).
///
/// ```swift
/// let server = try await SilentServer.start()
/// defer { Task { try await server.stop() } }
/// var arrived = server.requests.makeAsyncIterator()
/// _ = await arrived.next()
/// ```
final class SilentServer: Sendable {
    /// The port it listens on.
    let port: Int
    /// One element per connection whose request arrived.
    let requests: AsyncStream<Void>
    private let channel: any Channel

    private init(port: Int, requests: AsyncStream<Void>, channel: any Channel) {
        self.port = port
        self.requests = requests
        self.channel = channel
    }

    /// Listens on a free port.
    static func start() async throws -> SilentServer {
        let (requests, arrived) = AsyncStream.makeStream(of: Void.self)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(Swallower(arrived)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return SilentServer(port: channel.localAddress?.port ?? 0, requests: requests, channel: channel)
    }

    /// Stops listening (connections already accepted stay open until their client closes them).
    func stop() async throws {
        try await channel.close()
    }

    /// Reads and drops everything; reports a connection's first bytes.
    private final class Swallower: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        private let arrived: AsyncStream<Void>.Continuation

        init(_ arrived: AsyncStream<Void>.Continuation) {
            self.arrived = arrived
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            arrived.yield()
        }
    }
}
