import DiscordModels
import Foundation

/// The wait of a starting watch, for ``LiveCapture/stop()`` to cancel: its shard's turn to identify (minutes with
/// many shards), then the gateway lookup (it may wait an hour for Discord's edge to accept the address again).
final class LiveLookupSlot: @unchecked Sendable {
    // @unchecked Sendable: `cancelTask` and `cancelled` are only read and written while holding `lock`.
    private let lock = NSLock()
    private var cancelTask: (@Sendable () -> Void)?
    private var cancelled = false

    /// Records the wait; cancels it at once when a stop came first.
    func set<Success: Sendable>(_ task: Task<Success, any Error>) {
        let stopNow = lock.withLock {
            self.cancelTask = { task.cancel() }
            return cancelled
        }
        if stopNow { task.cancel() }
    }

    /// Cancels the wait, now or as soon as it is recorded.
    func cancel() {
        let running = lock.withLock {
            cancelled = true
            return cancelTask
        }
        running?()
    }
}
