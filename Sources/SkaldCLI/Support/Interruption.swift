import UnixSignals

/// Runs work that SIGINT or SIGTERM should stop cleanly: the signal cancels the work (which keeps what it
/// committed and removes what it half-wrote) instead of killing the process mid-write.
enum Interruption {
    /// The work's result, or the signal that cancelled it.
    enum Outcome<T: Sendable>: Sendable {
        case finished(Result<T, any Error>)
        case interrupted(UnixSignal)
    }

    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async -> Outcome<T> {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        let work = Task { try await body() }
        let watcher = Task {
            for await signal in signals {
                work.cancel()
                return Optional(signal)
            }
            return nil
        }
        let result = await work.result
        watcher.cancel()
        if let signal = await watcher.value { return .interrupted(signal) }
        return .finished(result)
    }
}
