import Live
import NIOConcurrencyHelpers
import ServiceLifecycle

/// Runs one ``LiveCapture`` per shard as a service: a graceful shutdown (SIGINT/SIGTERM) stops them cleanly.
struct WatchService: Service {
    let captures: [LiveCapture]
    /// What a capture threw, if anything (the group only sees a clean return).
    let failure = NIOLockedValueBox<(any Error)?>(nil)
    /// The counters when the watch ended, summed over the shards.
    let progress = NIOLockedValueBox(LiveProgress())

    func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for live in captures {
                    group.addTask {
                        do {
                            let result = try await live.run()
                            progress.withLockedValue { $0 = $0.adding(result) }
                        } catch is CancellationError {
                            // Cancelled with the service: what stopped the group is the failure, not the capture.
                        } catch {
                            failure.withLockedValue { $0 = $0 ?? error }
                            // One shard failing for good (a bad token) stops the others.
                            for other in captures { other.stop() }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            for live in captures { live.stop() }
        }
    }
}

extension LiveProgress {
    /// The sum of two shards' counters (lags: the larger).
    func adding(_ other: LiveProgress) -> LiveProgress {
        var sum = self
        sum.events += other.events
        sum.stored += other.stored
        sum.messages += other.messages
        sum.edits += other.edits
        sum.deletions += other.deletions
        sum.resumes += other.resumes
        sum.identifies += other.identifies
        sum.lastLag = max(lastLag, other.lastLag)
        sum.maxLag = max(maxLag, other.maxLag)
        return sum
    }
}
