/// Counts 401, 403 and non-shared 429 responses over a rolling window and says when to stop sending.
///
/// Discord bans an IP for 10,000 such responses in 10 minutes; the guard refuses well below that.
public struct InvalidRequestGuard: Sendable {
    /// How many invalid responses the window may hold before sending stops.
    public let limit: Int
    /// The rolling window (10 minutes at Discord).
    public let window: Duration
    private var events: [Duration] = []
    private var head = 0

    /// Creates a guard.
    public init(limit: Int = 2000, window: Duration = .seconds(600)) {
        self.limit = limit
        self.window = window
    }

    /// Records an invalid response at `now`.
    public mutating func record(now: Duration) {
        prune(now: now)
        events.append(now)
    }

    /// Invalid responses within the window ending at `now`.
    public mutating func count(now: Duration) -> Int {
        prune(now: now)
        return events.count - head
    }

    /// Whether sending must stop at `now`.
    public mutating func isExhausted(now: Duration) -> Bool { count(now: now) >= limit }

    /// When the oldest counted event leaves the window (the earliest moment sending could resume).
    public func reopens() -> Duration? { head < events.count ? events[head] + window : nil }

    private mutating func prune(now: Duration) {
        while head < events.count, events[head] + window <= now { head += 1 }
        if head > 1024, head * 2 > events.count {
            events.removeFirst(head)
            head = 0
        }
    }
}
