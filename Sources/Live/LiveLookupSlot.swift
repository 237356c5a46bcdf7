import DiscordModels
import Foundation

/// The gateway lookup of a starting watch, for ``LiveCapture/stop()`` to cancel (it may wait an hour for Discord's
/// edge to accept the address again).
final class LiveLookupSlot: @unchecked Sendable {
    // @unchecked Sendable: `task` and `cancelled` are only read and written while holding `lock`.
    private let lock = NSLock()
    private var task: Task<GatewayBot, any Error>?
    private var cancelled = false

    /// Records the lookup; cancels it at once when a stop came first.
    func set(_ task: Task<GatewayBot, any Error>) {
        let stopNow = lock.withLock {
            self.task = task
            return cancelled
        }
        if stopNow { task.cancel() }
    }

    /// Cancels the lookup, now or as soon as it is recorded.
    func cancel() {
        let running = lock.withLock {
            cancelled = true
            return task
        }
        running?.cancel()
    }
}
