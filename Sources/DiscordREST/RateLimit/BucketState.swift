/// What the limiter knows about one (bucket hash, major value) counter.
struct BucketState: Sendable, Hashable {
    /// `X-RateLimit-Limit` as last reported.
    var limit: Int
    /// Sends still allowed in the current window, after subtracting requests in flight.
    var remaining: Int
    /// When the current window ends (limiter time), or `nil` before any response for this counter.
    var resetAt: Duration?
    /// Requests sent under this counter and not answered yet.
    var inFlight: Int = 0
    /// A tighter ceiling learned from unexpected 429s (hidden limits), applied at each refill.
    var cap: Int?
    /// Requests answered without a 429 or 5xx in the current window (what the server admitted, as observed).
    var answered = 0
    /// The highest count of the current window the server reported (`limit - remaining`): answers arrive out
    /// of order, and this stays right when the client's own count missed an answer's window.
    var serverCount = 0
    /// What the server admitted in the current window: the larger of the two counts, each a floor of the truth.
    var admitted: Int { max(answered, serverCount) }
    /// When the last request on this counter was sent (pacing of untrusted counters).
    var lastSentAt: Duration?

    /// The effective per-window ceiling.
    var ceiling: Int { min(limit, cap ?? limit) }

    /// Starts a fresh window if the last one has ended.
    mutating func refill(now: Duration) {
        guard let reset = resetAt, now >= reset else { return }
        remaining = max(0, ceiling - inFlight)
        resetAt = nil
        answered = 0
        serverCount = 0
    }
}
