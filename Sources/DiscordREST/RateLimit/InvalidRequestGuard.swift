/// Counts 401, 403 and non-shared 429 responses, and the requests sent, over a rolling window: says when to slow
/// down (invalid above `slowdownRatio` of the requests) and when to stop sending (`limit` invalid).
///
/// Discord bans an IP for 10,000 such responses in 10 minutes; the guard stops at half of that.
public struct InvalidRequestGuard: Sendable {
    /// How many invalid responses the window may hold before sending stops.
    public let limit: Int
    /// The rolling window (10 minutes at Discord).
    public let window: Duration
    /// Above this fraction of the window's requests, the limiter halves its rates.
    public let slowdownRatio: Double
    /// The ratio is judged only once the window holds this many requests.
    public let slowdownMinimumRequests: Int
    private var events: [Duration] = []
    private var head = 0
    private var requests: [Duration] = []
    private var requestHead = 0

    /// Creates a guard.
    public init(
        limit: Int = 5000, window: Duration = .seconds(600), slowdownRatio: Double = 0.01,
        slowdownMinimumRequests: Int = 500
    ) {
        self.limit = limit
        self.window = window
        self.slowdownRatio = slowdownRatio
        self.slowdownMinimumRequests = slowdownMinimumRequests
    }

    /// Records an invalid response at `now`.
    public mutating func record(now: Duration) {
        prune(now: now)
        events.append(now)
    }

    /// Records a request sent at `now`.
    public mutating func recordRequest(now: Duration) {
        requests.append(now)
        if requests.count - requestHead > 4096 { pruneRequests(now: now) }
    }

    /// Requests sent within the window ending at `now`.
    public mutating func requestCount(now: Duration) -> Int {
        pruneRequests(now: now)
        return requests.count - requestHead
    }

    /// Whether invalid responses exceed `slowdownRatio` of the window's requests (rates are halved).
    public mutating func isSlowed(now: Duration) -> Bool {
        let sent = requestCount(now: now)
        guard sent >= slowdownMinimumRequests else { return false }
        return Double(count(now: now)) > Double(sent) * slowdownRatio
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

    private mutating func pruneRequests(now: Duration) {
        while requestHead < requests.count, requests[requestHead] + window <= now { requestHead += 1 }
        if requestHead > 4096, requestHead * 2 > requests.count {
            requests.removeFirst(requestHead)
            requestHead = 0
        }
    }

    private mutating func prune(now: Duration) {
        while head < events.count, events[head] + window <= now { head += 1 }
        if head > 1024, head * 2 > events.count {
            events.removeFirst(head)
            head = 0
        }
    }
}
