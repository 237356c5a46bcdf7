import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServerLifecycle
import TestSupport
import Testing

/// An in-process server stopped while a request is in flight: the request is answered when it ends within the grace
/// period, cut when it does not, and the shutdown returns either way. The grace period runs on a virtual clock.
@Suite("Server shutdown grace period") struct GracePeriodTests {
    /// A route (`GET /held`) that announces each request it receives and answers only once the test opens it.
    final class HeldRoute: Sendable {
        let arrivals: AsyncStream<Void>
        let arrival: AsyncStream<Void>.Continuation
        let opening: AsyncStream<Void>
        let open: AsyncStream<Void>.Continuation

        init() {
            (arrivals, arrival) = AsyncStream.makeStream(of: Void.self)
            (opening, open) = AsyncStream.makeStream(of: Void.self)
        }

        /// Starts a server with this route, whose grace period runs on `clock`.
        func startServer(gracePeriod: Duration, clock: TestClock) async throws -> InProcessServer {
            let router = Router()
            router.get("held") { _, _ -> String in
                self.arrival.yield()
                for await _ in self.opening { break }  // ends early when the request's task is cancelled
                try Task.checkCancellation()
                return "answered"
            }
            let logger = QuietLogger.make("skald.test.server")
            return try await InProcessServer.start(gracePeriod: gracePeriod, clock: clock, logger: logger) {
                onServerRunning in
                Application(
                    router: router, server: .shutdownAwareHTTP1,
                    configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                    onServerRunning: onServerRunning, logger: logger)
            }
        }
    }

    /// A request in flight on `/held` when the shutdown starts: its answer (status and body) and the shutdown, both
    /// still running, once the grace period runs on `clock`.
    static func shutdownWithRequestInFlight(route: HeldRoute, clock: TestClock, client: HTTPClient) async throws
        -> (answer: Task<(HTTPResponseStatus, String), any Error>, stopping: Task<Void, Never>)
    {
        let server = try await route.startServer(gracePeriod: .seconds(10), clock: clock)
        let url = "http://127.0.0.1:\(server.port)/held"
        let answer = Task {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .minutes(5))
            return (response.status, String(buffer: try await response.body.collect(upTo: 1024)))
        }
        for await _ in route.arrivals { break }
        let stopping = Task { await server.shutdown() }
        await clock.waitForSleepers(1)  // the shutdown has started: its grace period runs
        return (answer, stopping)
    }

    @Test func requestInFlightIsAnsweredWithinTheGracePeriod() async throws {
        let (clock, route) = (TestClock(), HeldRoute())
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let (answer, stopping) = try await Self.shutdownWithRequestInFlight(route: route, clock: clock, client: client)
        route.open.yield()
        let (status, body) = try await answer.value
        #expect(status == .ok)
        #expect(body == "answered")
        #expect(await finishes(within: TestDeadline.shutdown) { await stopping.value })
        try await client.shutdown()
    }

    @Test func requestStillRunningAfterTheGracePeriodIsCut() async throws {
        let (clock, route) = (TestClock(), HeldRoute())
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let (answer, stopping) = try await Self.shutdownWithRequestInFlight(route: route, clock: clock, client: client)
        clock.advance(by: .seconds(10))
        #expect(await finishes(within: TestDeadline.shutdown) { await stopping.value })
        let status = try? await answer.value.0
        #expect(status != .ok, "the request was cut, not answered")
        try await client.shutdown()
    }

    @Test func idleKeepAliveConnectionDoesNotHoldTheShutdown() async throws {
        let clock = TestClock()
        let route = HeldRoute()
        let server = try await route.startServer(gracePeriod: .seconds(10), clock: clock)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        route.open.yield()
        let response = try await client.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/held"), timeout: .minutes(5))
        #expect(response.status == .ok)
        _ = try await response.body.collect(upTo: 1024)
        // The client keeps its connection open and idle; the clock never moves, so only closing it at once ends this.
        #expect(await finishes(within: TestDeadline.shutdown) { await server.shutdown() })
        try await client.shutdown()
    }
}
