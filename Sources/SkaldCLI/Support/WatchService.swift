import Live
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Runs a ``LiveCapture`` as a service: a graceful shutdown (SIGINT/SIGTERM) stops it cleanly.
struct WatchService: Service {
    let live: LiveCapture
    /// What `run` threw, if anything (the group only sees a clean return).
    let failure = NIOLockedValueBox<(any Error)?>(nil)
    /// The counters when the watch ended.
    let progress = NIOLockedValueBox(LiveProgress())

    func run() async throws {
        do {
            let result = try await withGracefulShutdownHandler {
                try await live.run()
            } onGracefulShutdown: {
                live.stop()
            }
            progress.withLockedValue { $0 = result }
        } catch {
            failure.withLockedValue { $0 = error }
        }
    }
}
