import Logging
import ServiceLifecycle

/// Runs a server (any `Service`) so that a graceful shutdown ends in bounded time: when the shutdown starts the
/// server sees it at once (it stops accepting, closes idle connections and lets the requests in flight finish), and
/// whatever is still running `gracePeriod` later is cancelled.
///
/// swift-service-lifecycle's `maximumGracefulShutdownDuration` bounds a whole `ServiceGroup`; this bounds one
/// service, so that a group which also holds work that must commit before it exits (`skald bot`'s live capture)
/// gives that work all the time it needs while its HTTP server stops within the grace period.
///
/// ```swift
/// let group = ServiceGroup(configuration: .init(
///     services: [GracePeriodService(app, gracePeriod: .seconds(10))],
///     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
/// try await group.run()
/// ```
public struct GracePeriodService<Wrapped: Service, C: Clock>: Service where C.Duration == Duration {
    /// How long requests in flight may take once the shutdown started, when nothing else is said
    /// (``ShutdownGrace/standard``).
    public static var defaultGracePeriod: Duration { ShutdownGrace.standard }

    let wrapped: Wrapped
    let gracePeriod: Duration
    let clock: C
    let logger: Logger?

    /// Wraps `wrapped`; `clock` measures the grace period (tests pass a virtual clock).
    public init(_ wrapped: Wrapped, gracePeriod: Duration, clock: C, logger: Logger? = nil) {
        self.wrapped = wrapped
        self.gracePeriod = gracePeriod
        self.clock = clock
        self.logger = logger
    }

    /// How the run ended: the server returned (or threw) by itself, or the grace period ran out first.
    private enum Outcome: Sendable {
        case serverFinished
        case graceExpired
    }

    /// Runs the server until it ends, or until the grace period after the start of a graceful shutdown is over.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Outcome.self) { group in
            // The child inherits this service's graceful-shutdown trigger, so the server starts stopping at once.
            group.addTask {
                try await wrapped.run()
                return .serverFinished
            }
            group.addTask {
                try await gracefulShutdown()  // throws CancellationError once the server finished first
                try await clock.sleep(for: gracePeriod)
                return .graceExpired
            }
            if try await group.next() == .graceExpired {
                logger?.warning(
                    "server still busy after the shutdown grace period: cancelling what is left",
                    metadata: ["grace": "\(gracePeriod)"])
            }
            // Either the timer is no longer needed or the server's time is up. The group then waits for both, and
            // drops the error a cancelled server ends with: its requests were cut on purpose.
            group.cancelAll()
        }
    }
}

extension GracePeriodService where C == ContinuousClock {
    /// Wraps `wrapped` with a grace period measured in real time.
    public init(_ wrapped: Wrapped, gracePeriod: Duration = Self.defaultGracePeriod, logger: Logger? = nil) {
        self.init(wrapped, gracePeriod: gracePeriod, clock: ContinuousClock(), logger: logger)
    }
}
