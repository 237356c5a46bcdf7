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

    /// Sends still allowed at `now`.
    func free(now: Duration) -> Int { limit - count(now: now) }

    /// The first instant at or after `now` at which `count` sends are allowed at once (none sent meanwhile).
    func opening(freeing count: Int, now: Duration) -> Duration {
        // The oldest sends that must leave the window for `count` to fit beside the rest.
        let leaving = ring.count - (limit - min(count, limit))
        guard leaving > 0 else { return now }
        return max(now, ring[(head + leaving - 1) % ring.count] + window)
    }

    /// Sends within the window ending at `now`.
    func count(now: Duration) -> Int { ring.filter { $0 + window > now }.count }
}
