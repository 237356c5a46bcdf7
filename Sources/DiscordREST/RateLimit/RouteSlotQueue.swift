/// Who takes a route's next slot when the route holds counters back: the counter whose claim has the highest
/// priority. Once a limit across the counters of one bucket hash is learned (an unannounced per-token limit), the
/// priority is the caller's work left; while the route is still proving how much it admits, it is the fewest sends in
/// the counter's own window (see ``RateLimitStateMachine``).
///
/// Many channels share one hidden limit (hostile: 40 channels of 5 per 5 s behind 20 per second for all of them). The
/// slots went to whichever waiting caller reached the limiter first, so some channels ran ahead and finished early;
/// once fewer channels than the limit had pages left, each could only go at its own bucket's rate, and the run ended
/// with a tail in which most of the limit stood idle. Given to the counter with the most work left, the slots keep
/// every channel's rest about equal, and the channels finish together.
///
/// A counter held back by the route notes the instant it will ask again (or that it asks again at the route's next
/// answer) and its priority. When a slot is free, a counter of lower priority yields it for a moment (``grace``) to
/// one of higher priority that is due to ask by then; one that does not come within the grace (a busy machine woke it
/// late, it was cancelled) loses its claim, and the slot goes to whoever asks. The route's pacing catches up with
/// slots taken a little late, so the grace costs no throughput.
struct RouteSlotQueue: Sendable {
    /// How long a free slot is held for a counter of higher priority that is due to ask.
    var grace: Duration
    /// Counters held back by the route: their priority and when they ask again (`nil`: at the next answer).
    private var waiting: [BucketKey: (priority: Int, asksAt: Duration?)] = [:]

    init(grace: Duration) { self.grace = grace }

    /// Counters with a claim.
    var count: Int { waiting.count }

    /// Notes that `key`, of `priority`, was held back by the route until `asksAt`.
    mutating func heldBack(_ key: BucketKey, priority: Int, asksAt: Duration) {
        waiting[key] = (priority, asksAt)
    }

    /// Notes that `key`, of `priority`, was held back by the route until any of its requests is answered (a probe is
    /// out): its claim falls due at that answer (``answered(now:)``).
    mutating func heldBackUntilAnswer(_ key: BucketKey, priority: Int) {
        waiting[key] = (priority, nil)
    }

    /// An answer arrived at `now`: the counters waiting for one ask again now.
    mutating func answered(now: Duration) {
        for (key, claim) in waiting where claim.asksAt == nil { waiting[key] = (claim.priority, now) }
    }

    /// Notes that `key` sent: its claim is spent.
    mutating func sent(_ key: BucketKey) { waiting.removeValue(forKey: key) }

    /// Until when `key`, of `priority`, leaves a free slot at `now` to counters of its hash of higher priority that
    /// are due to ask by then, or `nil` to take it. Claims past their grace are dropped.
    mutating func yieldsUntil(_ key: BucketKey, priority: Int, now: Duration) -> Duration? {
        guard !waiting.isEmpty else { return nil }
        waiting = waiting.filter { $0.value.asksAt.map { $0 + grace > now } ?? true }
        var until: Duration?
        for (other, claim) in waiting where other.hash == key.hash && other != key && claim.priority > priority {
            guard let asksAt = claim.asksAt, asksAt <= now else { continue }
            until = max(until ?? .zero, asksAt + grace)
        }
        return until
    }
}
