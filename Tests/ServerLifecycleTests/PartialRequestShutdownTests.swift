import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import ServerLifecycle
import TestSupport
import Testing

/// A server stopped while a client holds part of a request, on a plain HTTP/1.1 server and on a WebSocket-upgradable
/// one (the simulator's kind): half a request head then silence is closed at once (no request of it is with the
/// application), a request whose head was read and whose body is still arriving keeps the grace period. The grace
/// period is an hour on a virtual clock that never moves, so only closing at once, or the request ending, lets the
/// shutdown finish; a hang fails at ``TestDeadline/shutdown``.
@Suite("Shutdown with a request partly received") struct PartialRequestShutdownTests {
    /// The two connection setups of our servers.
    enum ServerKind: CaseIterable, CustomTestStringConvertible {
        case plain
        case webSocketUpgradable

        var testDescription: String { self == .plain ? "plain HTTP/1.1" : "WebSocket-upgradable" }

        /// The server's connection setup, reporting each connection's events to `events`.
        func builder(events: AsyncStream<ConnectionEvent>.Continuation) -> HTTPServerBuilder {
            switch self {
            case .plain:
                .shutdownAware { responder in
                    ObservedChildChannel(inner: HTTP1Channel(responder: responder), events: events)
                }
            case .webSocketUpgradable:
                .shutdownAware { responder in
                    ObservedChildChannel(
                        inner: HTTP1WebSocketUpgradeChannel(responder: responder, configuration: .init()) { _, _, _ in
                            .dontUpgrade
                        },
                        events: events)
                }
            }
        }
    }

    /// A server of `kind` with `POST /upload` (announces each request, then reads its body and answers with its
    /// size), an hour's grace period on `clock`, and the events of its connections.
    struct Server {
        let server: InProcessServer
        let events: AsyncStream<ConnectionEvent>
        let arrivals: AsyncStream<Void>

        init(_ kind: ServerKind, clock: TestClock) async throws {
            let (events, event) = AsyncStream.makeStream(of: ConnectionEvent.self)
            let (arrivals, arrival) = AsyncStream.makeStream(of: Void.self)
            let router = Router()
            router.post("upload") { request, _ -> String in
                arrival.yield()
                let body = try await request.body.collect(upTo: 1024)
                return "received \(body.readableBytes) bytes"
            }
            let logger = QuietLogger.make("skald.test.server")
            server = try await InProcessServer.start(gracePeriod: .seconds(3600), clock: clock, logger: logger) {
                onServerRunning in
                Application(
                    router: router, server: kind.builder(events: event),
                    configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                    onServerRunning: onServerRunning, logger: logger)
            }
            self.events = events
            self.arrivals = arrivals
        }

        /// Waits until a connection reports `wanted`.
        func waitFor(_ wanted: ConnectionEvent) async {
            for await event in events where event == wanted { break }
        }
    }

    @Test(arguments: ServerKind.allCases)
    func halfARequestHeadThenSilenceDoesNotHoldTheShutdown(kind: ServerKind) async throws {
        let server = try await Server(kind, clock: TestClock())
        try await RawConnection.with(port: server.server.port) { connection in
            try await connection.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            await server.waitFor(.read)  // the server holds the bytes: this is no longer a silent connection
            let stopped = await finishes(within: TestDeadline.shutdown) { await server.server.shutdown() }
            #expect(stopped)
            if stopped {  // a connection left open would never end: read only once the server is gone
                #expect(await connection.readUntilClosed() == "", "closed without an answer")
            }
        }
    }

    @Test(arguments: ServerKind.allCases)
    func requestWhoseBodyIsStillArrivingKeepsTheGracePeriod(kind: ServerKind) async throws {
        let server = try await Server(kind, clock: TestClock())
        let (answer, stopping) = try await RawConnection.with(port: server.server.port) { connection in
            try await connection.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n12345")
            for await _ in server.arrivals { break }
            let stopping = Task { await server.server.shutdown() }
            await server.waitFor(.quiesced)  // the connection has heard of the shutdown and was kept open
            try await connection.send("67890")
            return (await connection.readUntilClosed(), stopping)
        }
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        #expect(answer.hasSuffix("received 10 bytes"), "\(answer)")
        #expect(await finishes(within: TestDeadline.shutdown) { await stopping.value })
    }
}
