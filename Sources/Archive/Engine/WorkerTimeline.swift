import Foundation
import Synchronization

/// What one worker did with one channel (`skald archive --worker`), for the `info` log line that says where a
/// worker idled: how long it waited for another worker's channel lease (the plan, the tail), when it took its first
/// range, how many ranges it took and how long it waited for ranges other workers held.
final class WorkerTimeline: Sendable {
    /// The figures so far.
    struct Figures: Sendable {
        /// Time spent waiting for the channel's lease held by another worker.
        var channelLeaseWait: Duration = .zero
        /// When this worker started fetching its first range.
        var firstRangeAt: Date?
        /// Ranges this worker fetched.
        var rangesTaken = 0
        /// Of those, the newer parts of ranges in progress this worker split off (another worker's or its own).
        var rangesSplit = 0
        /// Time spent with nothing to fetch while other workers held every pending range.
        var rangeWait: Duration = .zero
    }

    private let figures = Mutex(Figures())

    /// Updates the figures.
    func update(_ body: (inout Figures) -> Void) { figures.withLock { body(&$0) } }

    /// The figures so far.
    var current: Figures { figures.withLock { $0 } }
}
