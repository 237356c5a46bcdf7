import Live
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Live capture (one ``LiveCapture`` per shard), the ``ClipSaver`` and the ``JobRunner`` as one service: a graceful
/// shutdown (SIGINT/SIGTERM) stops the captures, which commit what they received, lets a running job finish, then
/// the saver records the clips of everything committed, then the service returns.
public struct BotService: Service {
    let captures: [LiveCapture]
    let saver: ClipSaver
    let jobs: JobRunner?
    /// What a capture threw, if anything.
    public let failure = NIOLockedValueBox<(any Error)?>(nil)

    /// A service running `captures` feeding `saver` (their observers must be ``BotObserver``s over it) and the
    /// scheduled `jobs`.
    public init(captures: [LiveCapture], saver: ClipSaver, jobs: JobRunner? = nil) {
        self.captures = captures
        self.saver = saver
        self.jobs = jobs
    }

    /// Runs until a graceful shutdown or a capture fails for good.
    public func run() async throws {
        let saving = Task { await saver.run() }
        let scheduling = Task { await jobs?.run() }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for live in captures {
                    group.addTask {
                        do {
                            _ = try await live.run()
                        } catch is CancellationError {
                            // Cancelled with the service: what stopped the group is the failure, not the capture.
                        } catch {
                            failure.withLockedValue { $0 = $0 ?? error }
                            for other in captures { other.stop() }
                            jobs?.stop()
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            for live in captures { live.stop() }
            jobs?.stop()
        }
        // A running job finishes before the process ends.
        jobs?.stop()
        await scheduling.value
        saver.finish()
        await saving.value
    }
}
