/// The counters whose window is open (requests of it already counted by Discord, slots left) and whose next send the
/// global limit, or the route-wide caution across their hash's counters, turned away: while any wait, a send that
/// would open a new window leaves them the next slots.
///
/// Many channels on Discord's default message bucket (5 per 5 s) ask for about as much as the global limit allows
/// (wide: 40 channels, 40 per second against 50). A channel with one request in flight sends its window's requests
/// one after another; when each of them queues behind the first requests of other channels' new windows, its five
/// take longer than its window, the window expires with slots unused, and the channel needs one more window of 5 s.
/// An entry lasts until its counter sends, its window is gone, or one global window passes without it asking again
/// (a caller cancelled while it waited).
struct OpenWindowQueue: Sendable {
    private var waiting: [BucketKey: (at: Duration, byRoute: Bool)] = [:]

    /// Counters waiting.
    var count: Int { waiting.count }

    /// Notes that `key`'s open window was turned away at `now` by the global limit, or by the route-wide caution
    /// across its hash's counters (`byRoute`).
    mutating func turnedAway(_ key: BucketKey, byRoute: Bool, now: Duration) { waiting[key] = (now, byRoute) }

    /// Whether a counter of `hash` waits for the route-wide caution.
    func heldByRoute(hash: String) -> Bool { waiting.contains { $0.key.hash == hash && $0.value.byRoute } }

    /// Notes that `key` sent.
    mutating func sent(_ key: BucketKey) { waiting.removeValue(forKey: key) }

    /// Drops the entries older than `window` at `now` and those whose window is no longer open.
    mutating func prune(now: Duration, window: Duration, isOpen: (BucketKey) -> Bool) {
        guard !waiting.isEmpty else { return }
        waiting = waiting.filter { now - $0.value.at <= window && isOpen($0.key) }
    }
}
