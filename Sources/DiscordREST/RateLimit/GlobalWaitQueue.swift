/// The callers the global limit turned away, parked until a global slot is theirs: when slots free, only as many
/// callers are woken as there are free slots, in priority order, and the rest stay parked without a timer each.
///
/// The wide scenario (40 channels of 5 per 5 s, 40 per second against the global 50) waits mostly on the global
/// window. Told to wait for the instant its next slot frees, every caller turned away asked again at that instant:
/// one was granted and the rest waited again for the next slot; and every answer woke every caller whose send would
/// open a window while all the slots left were kept for open windows: 2,092 sends took 10,514 asks (issue 16, part
/// N). Parked here, a caller asks again only when a slot is free for it.
///
/// Priority as the limiter gave it when every caller asked again at the freeing instant: the callers whose counter has
/// a window open first (``OpenWindowQueue``: a window held open for the global limit expires half used), then by
/// arrival (the caller's waiter id, given once per acquire: a caller that asks again keeps its place).
struct GlobalWaitQueue: Sendable {
    /// Why a caller waits.
    enum Reason: Sendable, Hashable {
        /// Every global slot is held.
        case noFreeSlot
        /// Its send would open a window, and the free slots are kept for windows already open (``OpenWindowQueue``).
        case slotsKeptForOpenWindows
    }

    /// A parked caller: its waiter id, the counter its send is charged to (`nil` when none is known), and why.
    private var parked: [(waiter: UInt64, bucket: BucketKey?, reason: Reason)] = []

    /// Callers parked.
    var count: Int { parked.count }

    /// Whether `waiter` is parked.
    func contains(_ waiter: UInt64) -> Bool { parked.contains { $0.waiter == waiter } }

    /// Whether a caller waits for `reason`.
    func hasWaiters(_ reason: Reason) -> Bool { parked.contains { $0.reason == reason } }

    /// The waiter ids parked, in arrival order (diagnostics, tests).
    var waiters: [UInt64] { parked.map(\.waiter) }

    /// Parks `waiter`, whose send goes to `bucket`, in arrival order.
    mutating func park(_ waiter: UInt64, bucket: BucketKey?, reason: Reason) {
        remove(waiter)
        var index = parked.count
        while index > 0, parked[index - 1].waiter > waiter { index -= 1 }
        parked.insert((waiter, bucket, reason), at: index)
    }

    /// Forgets `waiter` (a cancelled caller).
    mutating func remove(_ waiter: UInt64) {
        if let index = parked.firstIndex(where: { $0.waiter == waiter }) { parked.remove(at: index) }
    }

    /// Takes out of the queue the callers the global limit can grant now: `free` slots, of which `unreserved` are not
    /// kept for open windows. Those whose counter's window is open (`holdsOpenWindow`) go first, then the rest in
    /// arrival order; a caller waiting for slots kept for open windows is taken only from the `unreserved` ones.
    mutating func take(free: Int, unreserved: Int, holdsOpenWindow: (BucketKey) -> Bool) -> [UInt64] {
        guard free > 0, !parked.isEmpty else { return [] }
        let holds = parked.map { $0.bucket.map(holdsOpenWindow) ?? false }
        var taken: [Int] = []
        for index in parked.indices where holds[index] && taken.count < free { taken.append(index) }
        for index in parked.indices where !holds[index] && taken.count < free {
            switch parked[index].reason {
            case .noFreeSlot: taken.append(index)
            case .slotsKeptForOpenWindows: if taken.count < unreserved { taken.append(index) }
            }
        }
        guard !taken.isEmpty else { return [] }
        let waiters = taken.map { parked[$0].waiter }
        let removed = Set(taken)
        parked = parked.indices.filter { !removed.contains($0) }.map { parked[$0] }
        return waiters
    }
}
