/// How long a worker waits before it looks again at a lease or a range another worker holds (`skald archive
/// --worker`). The first look comes soon, because the other worker usually lets go within a round trip (planning a
/// channel takes one request, and the last range of a channel ends any moment). Each further look waits twice as
/// long, up to a cap, so a long wait costs a few reads a second. Pure: the engine sleeps on its own clock.
struct LeasePoll: Sendable {
    /// The first wait.
    static let first: Duration = .milliseconds(25)
    /// The longest wait: a tenth of a second, or a third of the lease's time to live when that is shorter. A worker
    /// waiting for another's plan of a channel starts its ranges up to this late, and the other worker idles as
    /// long at the channel's end (with a quarter of a second, the second worker of one release run of deep2 took its
    /// first range 0.18 s after the planner; a look costs one small query).
    let cap: Duration
    private var next: Duration

    /// A poll for leases lasting `ttl`.
    init(ttl: Duration) {
        cap = min(ttl / 3, .milliseconds(100))
        next = min(Self.first, cap)
    }

    /// The wait before the next look; the one after it is twice as long (at most ``cap``).
    mutating func delay() -> Duration {
        let delay = next
        next = min(next * 2, cap)
        return delay
    }

    /// Starts again from the shortest wait (the awaited lease or range moved).
    mutating func reset() { next = min(Self.first, cap) }
}
