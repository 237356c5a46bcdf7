/// A sliding window of the last `limit` send instants: at most `limit` sends in any interval of length
/// `window`. Stricter than a token bucket (which allows a burst of twice the rate across a boundary), so it
/// satisfies Discord's global limit however the server aligns its windows.
struct GlobalWindow: Sendable {
    let limit: Int
    /// The window's length; it may change between sends (a margin learned for jitter).
    var window: Duration
    private var ring: [Duration] = []
    private var head = 0

    init(limit: Int, window: Duration) {
        self.limit = max(1, limit)
        self.window = window
        ring.reserveCapacity(self.limit)
    }

    /// `nil` when a send is allowed at `now`, else the first instant at which one is.
    func nextAllowed(now: Duration) -> Duration? {
        guard ring.count == limit else { return nil }
        let opens = ring[head] + window
        return opens > now ? opens : nil
    }

    /// Records a send at `now`.
    mutating func record(now: Duration) {
        if ring.count < limit {
            ring.append(now)
        } else {
            ring[head] = now
            head = (head + 1) % limit
        }
    }

    /// Sends within the window ending at `now`.
    func count(now: Duration) -> Int { ring.filter { $0 + window > now }.count }
}
