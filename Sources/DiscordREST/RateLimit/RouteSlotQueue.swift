/// Who takes a route's next slot when its learned limit binds (an unannounced per-token limit across the counters of
/// one bucket hash): the counter whose caller has the most work left.
///
/// Many channels share one hidden limit (hostile: 40 channels of 5 per 5 s behind 20 per second for all of them). The
/// slots went to whichever waiting caller reached the limiter first, so some channels ran ahead and finished early;
/// once fewer channels than the limit had pages left, each could only go at its own bucket's rate, and the run ended
/// with a tail in which most of the limit stood idle. Given to the counter with the most work left, the slots keep
/// every channel's rest about equal, and the channels finish together.
///
/// A counter held back by the route notes the instant it will ask again and the work its caller has left (the
/// caller's estimate, in requests; ``RequestPriority``). When a slot is free, a counter with less work left yields it
/// for a moment (``grace``) to one with more that is due to ask by then; one that does not come within the grace (a
/// busy machine woke it late, it was cancelled) loses its claim, and the slot goes to whoever asks. The route's pacing
/// catches up with slots taken a little late, so the grace costs no throughput.
struct RouteSlotQueue: Sendable {
    /// How long a free slot is held for a counter with more work left that is due to ask.
    var grace: Duration
    /// Counters held back by the route: the work their caller has left and when they ask again.
    private var waiting: [BucketKey: (workLeft: Int, asksAt: Duration)] = [:]

    init(grace: Duration) { self.grace = grace }

    /// Counters with a claim.
    var count: Int { waiting.count }

    /// Notes that `key`'s caller, with `workLeft` requests to go, was held back by the route until `asksAt`.
    mutating func heldBack(_ key: BucketKey, workLeft: Int, asksAt: Duration) {
        waiting[key] = (workLeft, asksAt)
    }

    /// Notes that `key` sent: its claim is spent.
    mutating func sent(_ key: BucketKey) { waiting.removeValue(forKey: key) }

    /// Until when `key`, with `workLeft` to go, leaves a free slot at `now` to counters of its hash with more work
    /// left that are due to ask by then, or `nil` to take it. Claims past their grace are dropped.
    mutating func yieldsUntil(_ key: BucketKey, workLeft: Int, now: Duration) -> Duration? {
        guard !waiting.isEmpty else { return nil }
        waiting = waiting.filter { $0.value.asksAt + grace > now }
        var until: Duration?
        for (other, claim) in waiting
        where other.hash == key.hash && other != key && claim.workLeft > workLeft && claim.asksAt <= now {
            until = max(until ?? .zero, claim.asksAt + grace)
        }
        return until
    }
}
