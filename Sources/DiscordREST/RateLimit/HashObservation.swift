/// What the limiter has observed about one bucket hash across all its major values: whether its headers can be
/// believed, the per-window limit it really enforces, and the additive-increase probing above that limit.
///
/// Headers are trusted until a `user` 429 arrives on a counter whose headers said requests remained; from then
/// on the counters of this hash run on ``observedLimit`` (requests admitted per window before the 429), raised by
/// at most one request per window while the limit binds, and lowered to what was admitted at each new 429.
struct HashObservation: Sendable, Hashable {
    /// Whether `X-RateLimit-Limit`/`Remaining` are believed.
    var trusted = true
    /// The per-window limit learned from 429s while untrusted.
    var observedLimit: Int?
    /// The most requests seen admitted in one window of one counter of this hash: sends beyond it on a hash with
    /// several counters are probes, one at a time, so a lie costs one 429 instead of one per counter.
    var verified = 0
    /// A send beyond ``verified`` (or above ``observedLimit``) is out.
    var probeInFlight = false
    /// The longest `Reset-After` seen at the start of a window: the window length used for probing.
    var window: Duration = .seconds(1)
    /// Additive increase: the earliest instant ``observedLimit`` may grow by one.
    var nextIncreaseAt: Duration = .zero
    /// Windows between increases; doubles at every 429 so failed probes stay rare, halves when a raise holds.
    var backoffWindows = 1
    /// When the last 429 blamed on a counter of this hash arrived.
    var lastLimitedAt: Duration?
    /// Major values seen on this hash (two or more: cross-counter caution applies).
    var majors: Set<String> = []
    /// The route-wide (all counters of this hash) view, for an unannounced per-token limit.
    var route = RouteObservation()

    /// Whether several counters share this hash (so an unannounced per-token limit could bind across them).
    var isShared: Bool { majors.count >= 2 }

    /// The per-window ceiling to apply to every counter of this hash, or `nil` to follow the headers.
    var ceiling: Int? { trusted ? nil : observedLimit }

    /// Learns from a `user` 429 blamed on the bucket: `admitted` requests got through in this window.
    /// - Parameter probing: the request went beyond what was verified (a failed probe: back to what was seen, never
    ///   below three quarters of the learned limit). A request within the learned limit means the limit dropped,
    ///   possibly in the middle of a window, so what this window admitted overstates it: multiplicative decrease
    ///   (to three quarters). Never lower in one step: a count far below the learned limit is more likely a 429 of
    ///   another limit taken for this one's; if the limit really fell that far, the next 429s follow it down.
    mutating func bucketLimited(admitted: Int, probing: Bool = true, now: Duration) {
        let trustedUntilNow = trusted
        trusted = false
        route.countsServerWindows = true
        var seen = max(1, admitted)
        if !trustedUntilNow, let limit = observedLimit {
            let decreased = max(1, limit * 3 / 4)
            seen = probing ? max(seen, decreased) : decreased
        }
        observedLimit = min(observedLimit ?? seen, seen)
        // What was verified above the limit no longer holds: a raise is a probe again.
        verified = observedLimit!
        // The first lie waits 8 windows before probing; every further 429 doubles that, once per window: the
        // counters that were mid-window when the limit dropped answer 429 together, for one cause.
        let sameCause = lastLimitedAt.map { now < $0 + window } ?? false
        if !sameCause { backoffWindows = trustedUntilNow ? 8 : min(64, backoffWindows * 2) }
        lastLimitedAt = now
        nextIncreaseAt = now + window * backoffWindows
    }

    /// Records that a counter of this hash got `count` requests admitted in its current window.
    mutating func admitted(_ count: Int) {
        if count > verified {
            verified = count
            // A raise above the learned limit held: probe more often again.
            if let limit = observedLimit, count >= limit { backoffWindows = max(1, backoffWindows / 2) }
        }
    }

    /// Learns from a 429 blamed on an unannounced limit across the route's counters: headers that hide one limit
    /// are not believed about the other, so the counters run on the most one of them was seen to get admitted.
    mutating func routeLimited(now: Duration) {
        guard trusted else { return }
        trusted = false
        route.countsServerWindows = true
        observedLimit = max(1, verified)
        backoffWindows = 8
        nextIncreaseAt = now + window * backoffWindows
    }

    /// Additive increase: one more request per window once the backoff has passed, while the limit binds.
    /// - Parameter announced: the header limit (never exceeded).
    mutating func increaseIfDue(now: Duration, announced: Int) {
        guard let limit = observedLimit, now >= nextIncreaseAt, limit < announced else { return }
        observedLimit = limit + 1
        nextIncreaseAt = now + window * backoffWindows
    }
}
