import Foundation

/// A clock that moves only when a test calls `advance(by:)`, for running the limiter actor in virtual time.
///
/// Tests wait for events, never for real time: `waitForSleepers(_:)` resumes when the given number of callers
/// sleep on this (manual) clock.
final class ManualClock: Clock, @unchecked Sendable {
    // @unchecked Sendable: every mutable field is read and written only while holding `lock`.
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let lock = NSLock()
    private var current = Instant(offset: .zero)
    private var sleepers: [(deadline: Instant, continuation: CheckedContinuation<Void, Never>)] = []
    private var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    var now: Instant { lock.withLock { current } }
    var minimumResolution: Duration { .nanoseconds(1) }

    /// Callers currently asleep.
    var sleeperCount: Int { lock.withLock { sleepers.count } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        await withCheckedContinuation { continuation in
            let (resumeNow, satisfied): (Bool, [CheckedContinuation<Void, Never>]) = lock.withLock {
                if deadline <= current { return (true, []) }
                sleepers.append((deadline, continuation))
                return (false, takeSatisfiedWatchers())
            }
            if resumeNow { continuation.resume() }
            for watcher in satisfied { watcher.resume() }
        }
    }

    /// Moves time forward and wakes the sleepers whose deadline has come.
    func advance(by duration: Duration) {
        let due: [CheckedContinuation<Void, Never>] = lock.withLock {
            current = current.advanced(by: duration)
            let due = sleepers.filter { $0.deadline <= current }.map(\.continuation)
            sleepers.removeAll { $0.deadline <= current }
            return due
        }
        for continuation in due { continuation.resume() }
    }

    /// Returns once at least `count` callers sleep on this manual clock (an event, not a timed poll).
    func waitForSleepers(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let ready: Bool = lock.withLock {
                if sleepers.count >= count { return true }
                watchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Removes and returns the watchers whose count is reached. Call with `lock` held.
    private func takeSatisfiedWatchers() -> [CheckedContinuation<Void, Never>] {
        let count = sleepers.count
        let satisfied = watchers.filter { $0.count <= count }.map(\.continuation)
        watchers.removeAll { $0.count <= count }
        return satisfied
    }
}
