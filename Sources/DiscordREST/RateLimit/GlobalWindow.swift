/// The global limit's slots: at most `limit` requests that Discord may count in any one of its windows.
///
/// Discord counts a request when it arrives, at some instant between its send and its answer; how long it travels
/// (a loaded machine, a slow network) is not known when it is sent. So a send holds its slot `window` after it was
/// sent (a sliding window of send instants, stricter than a token bucket, which allows a burst of twice the rate
/// across a boundary) and, once answered, `serverWindow` after its answer, and while it is in flight: then no
/// `limit + 1` requests can reach Discord within one `serverWindow` however late each arrives, however Discord aligns
/// its windows (a request that arrived in a window was sent before the window ended, and every other one of that
/// window was answered after it began).
struct GlobalWindow: Sendable {
    let limit: Int
    /// The window after a send; it may change between sends (a margin learned for jitter).
    var window: Duration
    /// Discord's window: how long after its answer a request may still count in a window with a later one.
    let serverWindow: Duration
    /// Sends not answered yet: id and send instant.
    private var inFlight: [(id: UInt64, sentAt: Duration)] = []
    /// When each answered send's slot frees, earliest first (kept in order as answers arrive, so a question at `now`
    /// finds the slots still held by a binary search, with no copy or sort: the limiter asks at every acquire).
    private var frees: [Duration] = []

    init(limit: Int, window: Duration, serverWindow: Duration = .seconds(1)) {
        self.limit = max(1, limit)
        self.window = window
        self.serverWindow = serverWindow
        inFlight.reserveCapacity(self.limit)
        frees.reserveCapacity(self.limit)
    }

    /// When a send may go at `now`.
    enum Opening: Equatable, Sendable {
        case now
        /// At this instant, when an answered send's slot frees.
        case at(Duration)
        /// Once a send in flight is answered (every slot is held by one).
        case afterAnswer
    }

    /// Whether a send may go at `now`, or when.
    func opening(now: Duration) -> Opening {
        guard let opens = opening(freeing: 1, now: now) else { return .afterAnswer }
        return opens > now ? .at(opens) : .now
    }

    /// Sends still allowed at `now`.
    func free(now: Duration) -> Int { limit - count(now: now) }

    /// The first instant at or after `now` at which `count` sends may go at once (none sent meanwhile), or `nil` when
    /// that needs answers to sends in flight.
    func opening(freeing count: Int, now: Duration) -> Duration? {
        let firstHeld = firstHeld(now: now)
        let held = frees.count - firstHeld
        // The slots that must free for `count` to fit beside the rest.
        let excess = inFlight.count + held - (limit - min(count, limit))
        if excess <= 0 { return now }
        guard held >= excess else { return nil }
        return frees[firstHeld + excess - 1]
    }

    /// Records send `id` at `now`.
    mutating func record(id: UInt64, now: Duration) {
        frees.removeFirst(firstHeld(now: now))
        inFlight.append((id, now))
    }

    /// Send `id` was answered at `now` (or failed without an answer at `now`: Discord may have counted it until then).
    mutating func answered(id: UInt64, now: Duration) {
        guard let index = inFlight.firstIndex(where: { $0.id == id }) else { return }
        let sentAt = inFlight.remove(at: index).sentAt
        insertFree(max(sentAt + window, now + serverWindow))
    }

    /// Send `id` was answered before Discord counted it (a proxy's answer): its slot frees `window` after its send.
    mutating func uncounted(id: UInt64) {
        guard let index = inFlight.firstIndex(where: { $0.id == id }) else { return }
        insertFree(inFlight.remove(at: index).sentAt + window)
    }

    /// Slots held at `now`: sends in flight and answered ones whose slot has not freed.
    func count(now: Duration) -> Int { inFlight.count + frees.count - firstHeld(now: now) }

    /// The index of the first slot in `frees` still held at `now` (`frees.count` when none is).
    private func firstHeld(now: Duration) -> Int {
        var low = 0
        var high = frees.count
        while low < high {
            let middle = (low + high) / 2
            if frees[middle] > now { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Adds a slot freeing at `instant`, in order (answers arrive almost in order: the search starts at the end).
    private mutating func insertFree(_ instant: Duration) {
        var index = frees.count
        while index > 0, frees[index - 1] > instant { index -= 1 }
        frees.insert(instant, at: index)
    }
}
