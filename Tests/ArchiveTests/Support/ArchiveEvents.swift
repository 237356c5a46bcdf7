import Archive

/// An observer that hands the engine's events to a test as an `AsyncStream`, so the test waits for what the engine
/// reports (e.g. its first stored page) instead of polling the archive on a timer.
struct ArchiveEvents: ArchiveObserver {
    /// The events, in the order the engine reported them.
    let stream: AsyncStream<ArchiveEvent>
    private let continuation: AsyncStream<ArchiveEvent>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: ArchiveEvent.self)
    }

    func archive(_ event: ArchiveEvent) {
        continuation.yield(event)
    }

    /// Ends the stream (the engine is done).
    func finish() {
        continuation.finish()
    }

    /// Waits until pages holding at least `messages` messages were stored; `false` when the stream ended before.
    func messagesStored(atLeast messages: Int) async -> Bool {
        var stored = 0
        for await event in stream {
            if case .pageStored(_, let count, _) = event { stored += count }
            if stored >= messages { return true }
        }
        return false
    }

    /// Waits for the first stored page; `false` when the stream ended without one.
    func firstPageStored() async -> Bool {
        for await event in stream {
            if case .pageStored(_, let messages, _) = event, messages > 0 { return true }
        }
        return false
    }
}
