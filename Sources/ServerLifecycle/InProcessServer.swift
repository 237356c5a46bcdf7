import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A Hummingbird application running in this process (the simulators, started by tests and by `skald sim`) until
/// ``shutdown()``, which stops it as a server should: no new connection, idle ones closed at once, requests in flight
/// given the grace period, then everything still open closed (``GracePeriodService``, ``ShutdownAwareChildChannel``).
///
/// ```swift
/// let server = try await InProcessServer.start(gracePeriod: .seconds(10), logger: logger) { onServerRunning in
///     Application(router: router, server: .shutdownAwareHTTP1, onServerRunning: onServerRunning, logger: logger)
/// }
/// print(server.port)
/// await server.shutdown()
/// ```
public final class InProcessServer: Sendable {
    /// The bound port.
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    /// Runs the application `makeApplication` builds (it passes the given closure as the application's
    /// `onServerRunning`) and returns once it accepts connections. Throws what stopped it before it listened (a bind's
    /// error: ``ListenFailure`` puts it in words). `clock` measures the grace period (tests pass a virtual clock).
    public static func start<App: ApplicationProtocol, C: Clock>(
        gracePeriod: Duration, clock: C, logger: Logger,
        _ makeApplication: (_ onServerRunning: @escaping @Sendable (any Channel) async -> Void) -> App
    ) async throws -> InProcessServer where C.Duration == Duration {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = makeApplication { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [GracePeriodService(app, gracePeriod: gracePeriod, clock: clock)], logger: logger))
        let task = Task {
            defer { portContinuation.finish() }  // a failed bind never announces a port: end the wait for one
            try await group.run()
        }
        var port: Int?
        for await value in ports {
            port = value
            break
        }
        guard let port else {
            try await task.value
            throw CancellationError()  // stopped without an error before listening: only a shutdown does that
        }
        return InProcessServer(port: port, group: group, task: task)
    }

    /// Runs the application `makeApplication` builds, with a grace period in real time.
    public static func start<App: ApplicationProtocol>(
        gracePeriod: Duration, logger: Logger,
        _ makeApplication: (_ onServerRunning: @escaping @Sendable (any Channel) async -> Void) -> App
    ) async throws -> InProcessServer {
        try await start(gracePeriod: gracePeriod, clock: ContinuousClock(), logger: logger, makeApplication)
    }

    /// Stops accepting, closes idle connections, lets requests in flight finish within the grace period, closes the
    /// rest and returns once the server has stopped.
    public func shutdown() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}
