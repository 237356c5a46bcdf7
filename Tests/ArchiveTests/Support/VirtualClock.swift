import Foundation

/// A clock that moves only when a test calls `advance(by:)`, readable as a `Date` too (`date`), so an engine's waits
/// and a PostgreSQL store's lease expiry (``PostgresArchiveStore/Configuration/leaseNow``) share one virtual time.
///
/// A sleep on it ends when the clock is advanced past its deadline or when its task is cancelled (an engine
/// cancels its lease heartbeat when the channel is done).
final class VirtualClock: Clock, @unchecked Sendable {
    // @unchecked Sendable: `state` is read and written only while holding `lock`.
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct State {
        var current = Instant(offset: .zero)
        var sleepers: [UUID: (deadline: Instant, continuation: CheckedContinuation<Void, any Error>)] = [:]
    }

    /// The `Date` at virtual time zero.
    let origin: Date
    private let lock = NSLock()
    private var state = State()

    /// A clock at `origin`.
    init(origin: Date = Date()) { self.origin = origin }

    var now: Instant { lock.withLock { state.current } }
    var minimumResolution: Duration { .nanoseconds(1) }

    /// The virtual time as a date.
    var date: Date {
        let offset = now.offset.components
        return origin.addingTimeInterval(Double(offset.seconds) + Double(offset.attoseconds) / 1e18)
    }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = lock.withLock {
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= state.current { return .success(()) }
                    state.sleepers[id] = (deadline, continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            lock.withLock { state.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes the sleepers whose deadline has come.
    func advance(by duration: Duration) {
        let due: [CheckedContinuation<Void, any Error>] = lock.withLock {
            state.current = state.current.advanced(by: duration)
            let due = state.sleepers.filter { $0.value.deadline <= state.current }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }
}
