/// The route-wide view of one bucket hash over every major value: sends and admitted requests in a sliding
/// window, the rate proven to be admitted, and (after a 429 blamed on it) the learned limit of an unannounced
/// per-token limit (discord-api-docs #8161), probed upward by one request per window.
struct RouteObservation: Sendable, Hashable {
    /// Send instants within the last window (oldest first).
    private(set) var sends: [Duration] = []
    /// Admitted (non-429, non-5xx) answers within the last window.
    private(set) var admitted: [Duration] = []
    /// The most answers seen admitted within one window: sends beyond it are probes, one at a time.
    var verified = 0
    /// The learned limit per window, or `nil` while no 429 was blamed on the route.
    var limit: Int?
    /// A probe (a send beyond ``verified``) is out.
    var probeInFlight = false
    /// No probe beyond ``verified`` before this instant: a window after a 429 the headers did not announce, the
    /// route does not grow (one lying limit is a hint of another).
    var probeHoldUntil: Duration?
    /// When the last probe beyond ``verified`` went out.
    var lastProbeAt: Duration?
    /// Sends on the route not answered yet.
    var inFlight = 0
    /// Additive increase: the earliest instant ``limit`` may grow by one.
    var nextIncreaseAt: Duration = .zero
    /// Windows between increases; doubles at every 429.
    var backoffWindows = 1
    /// Nothing is sent on the route before this instant (the `retry_after` of a route-wide 429).
    var pausedUntil: Duration?

    /// Drops entries older than `window`.
    mutating func prune(now: Duration, window: Duration) {
        if let index = sends.firstIndex(where: { $0 + window > now }) {
            sends.removeFirst(index)
        } else {
            sends.removeAll()
        }
        if let index = admitted.firstIndex(where: { $0 + window > now }) {
            admitted.removeFirst(index)
        } else {
            admitted.removeAll()
        }
    }

    /// Sends within the current window (call ``prune(now:window:)`` first).
    var sendsInWindow: Int { sends.count }

    /// When the oldest send of the window leaves it.
    func nextOpening(window: Duration) -> Duration? { sends.first.map { $0 + window } }

    /// Records a send.
    mutating func recordSend(now: Duration) {
        sends.append(now)
        inFlight += 1
    }

    /// Records an admitted answer and raises ``verified``.
    mutating func recordAdmitted(now: Duration, window: Duration) {
        prune(now: now, window: window)
        admitted.append(now)
        if admitted.count > verified {
            verified = admitted.count
            // A raise above the learned limit held: probe more often again.
            if let limit, admitted.count >= limit { backoffWindows = max(1, backoffWindows / 2) }
        }
    }

    /// Learns from a 429 blamed on the route: the limit is what the window admitted.
    mutating func limited(now: Duration, window: Duration, retryAfter: Duration) {
        prune(now: now, window: window)
        // Requests sent before this one and still unanswered were most likely admitted too.
        let seen = max(1, admitted.count + inFlight)
        limit = min(limit ?? seen, seen)
        verified = limit!
        backoffWindows = min(64, max(4, backoffWindows * 2))
        nextIncreaseAt = now + window * backoffWindows
        let until = now + retryAfter
        pausedUntil = max(pausedUntil ?? until, until)
    }

    /// Additive increase by one request per window once the backoff has passed.
    mutating func increaseIfDue(now: Duration, window: Duration) {
        guard let current = limit, now >= nextIncreaseAt else { return }
        limit = current + 1
        nextIncreaseAt = now + window * backoffWindows
    }
}
