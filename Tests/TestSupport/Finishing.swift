import Foundation

/// Runs `operation` in a task of its own and answers whether it ended within `deadline` on `clock` (real time unless
/// a test passes its own): a hang detector (like ``TestDeadline``), not a timing assertion. An operation still
/// running at the deadline is left behind, so a hang fails its test instead of hanging the suite.
///
/// ```swift
/// #expect(await finishes(within: TestDeadline.shutdown) { await sim.shutdown() })
/// ```
public func finishes(
    within deadline: Duration, clock: some Clock<Duration> = ContinuousClock(),
    _ operation: @escaping @Sendable () async -> Void
) async -> Bool {
    let answered = NSLock()
    nonisolated(unsafe) var hasAnswered = false  // read and written only while holding `answered`
    return await withCheckedContinuation { continuation in
        let answer: @Sendable (Bool) -> Void = { value in
            let first = answered.withLock {
                defer { hasAnswered = true }
                return !hasAnswered
            }
            if first { continuation.resume(returning: value) }
        }
        let timer = Task {
            do {
                try await clock.sleep(for: deadline)
                answer(false)
            } catch {}  // cancelled: the operation ended first
        }
        Task {
            await operation()
            timer.cancel()
            answer(true)
        }
    }
}
