import Foundation

/// A clock that moves only when a test calls `advance(by:)`: the one virtual clock of the test suites (the limiter
/// actor, the engine's waits, in-process and PostgreSQL leases), readable as a `Date` too (`date`) so a store's
/// lease expiry can share its time.
///
/// Tests wait for events, never for real time: `waitForSleepers(_:)` resumes when the given number of callers sleep
/// on the clock. A sleep ends when the clock is advanced past its deadline or when its task is cancelled.
public final class TestClock: Clock, @unchecked Sendable {
    // @unchecked Sendable: `state` is read and written only while holding `lock`.

    /// A point of virtual time: its distance from time zero.
    public struct Instant: InstantProtocol {
        /// How far from time zero.
        public var offset: Duration
        /// The instant `duration` later.
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        /// The time from this instant to `other`.
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        /// Whether `lhs` comes first.
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private typealias Waiter = CheckedContinuation<Void, any Error>

    private struct State {
        var current = Instant(offset: .zero)
        var sleepers: [Int: (deadline: Instant, continuation: Waiter)] = [:]
        var nextSleeper = 0
        var watchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

        /// Removes and returns the watchers whose count is reached.
        mutating func takeSatisfiedWatchers() -> [CheckedContinuation<Void, Never>] {
            let satisfied = watchers.filter { $0.count <= sleepers.count }.map(\.continuation)
            watchers.removeAll { $0.count <= sleepers.count }
            return satisfied
        }
    }

    /// The `Date` at virtual time zero.
    public let origin: Date
    private let lock = NSLock()
    private var state = State()

    /// A clock at time zero, which reads as `origin`.
    public init(origin: Date = Date()) { self.origin = origin }

    /// The current virtual instant.
    public var now: Instant { lock.withLock { state.current } }
    /// One nanosecond.
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// The virtual time as a date.
    public var date: Date {
        let offset = now.offset.components
        return origin.addingTimeInterval(Double(offset.seconds) + Double(offset.attoseconds) / 1e18)
    }

    /// Callers currently asleep.
    public var sleeperCount: Int { lock.withLock { state.sleepers.count } }

    /// Sleeps until the clock is advanced to `deadline`; throws `CancellationError` when the task is cancelled.
    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = lock.withLock {
            state.nextSleeper += 1
            return state.nextSleeper
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: Waiter) in
                let (outcome, satisfied): (Result<Void, any Error>?, [CheckedContinuation<Void, Never>]) =
                    lock.withLock {
                        if Task.isCancelled { return (.failure(CancellationError()), []) }
                        if deadline <= state.current { return (.success(()), []) }
                        state.sleepers[id] = (deadline, continuation)
                        return (nil, state.takeSatisfiedWatchers())
                    }
                if let outcome { continuation.resume(with: outcome) }
                for watcher in satisfied { watcher.resume() }
            }
        } onCancel: {
            lock.withLock { state.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes the sleepers whose deadline has come.
    public func advance(by duration: Duration) {
        let due: [Waiter] = lock.withLock {
            state.current = state.current.advanced(by: duration)
            // Woken in the order they fell asleep, so a test's interleaving does not depend on hashing.
            let due = state.sleepers.filter { $0.value.deadline <= state.current }.sorted { $0.key < $1.key }
            for (id, _) in due { state.sleepers[id] = nil }
            return due.map(\.value.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    /// Returns once at least `count` callers sleep on this clock (an event, not a timed poll).
    public func waitForSleepers(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let ready: Bool = lock.withLock {
                if state.sleepers.count >= count { return true }
                state.watchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
