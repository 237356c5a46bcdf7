/// What the limiter knows about one (bucket hash, major value) counter.
struct BucketState: Sendable, Hashable {
    /// `X-RateLimit-Limit` as last reported.
    var limit: Int
    /// Sends still allowed in the current window, after subtracting requests in flight.
    var remaining: Int
    /// When the current window ends (limiter time), or `nil` before any response for this counter.
    var resetAt: Duration?
    /// Permit ids (send order) of the requests sent under this counter and not answered yet.
    var inFlightIDs: [UInt64] = []
    /// Requests sent under this counter and not answered yet.
    var inFlight: Int { inFlightIDs.count }
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
    /// The reset instant of the window before the current one (set at refill): an answer whose reset lies near
    /// it is a late answer of that window, not news of the next.
    var previousResetAt: Duration?
    /// Sends charged to the current window, answered or not: with the server's count of the window (`limit -
    /// remaining`) it tells how many of the requests in flight an answer has not counted yet. The server counts
    /// in the order requests reach it, which for requests sent together is no order the client knows, so an
    /// answer never tells which of them it counted, only how many.
    var windowSends = 0
    /// Requests in flight when the current window began, charged to it in case the server counts them there: one
    /// whose answer proves it belonged to the window before gives its slot back.
    var carriedIDs: Set<UInt64> = []
    /// When the client refilled the counter at the end of the previous window (at or after the server's reset): a
    /// request sent then or later reached the server after that reset, so its answer is of this window or a later.
    var refilledAt: Duration?

    /// Starts counting a new window in which the server counted `count` requests, charging the requests in
    /// flight to it.
    mutating func startWindow(serverCount count: Int) {
        windowSends = count + inFlight
        carriedIDs = Set(inFlightIDs)
    }

    /// The effective per-window ceiling.
    var ceiling: Int { min(limit, cap ?? limit) }

    /// Starts a fresh window if the last one has ended, or ends within `lead` (sends timed to reach the server as
    /// the window resets, see ``ResetTiming``).
    mutating func refill(now: Duration, lead: Duration = .zero) {
        guard let reset = resetAt, now + lead >= reset else { return }
        remaining = max(0, ceiling - inFlight)
        previousResetAt = reset
        refilledAt = now
        resetAt = nil
        startWindow(serverCount: 0)
        answered = 0
        serverCount = 0
    }
}
