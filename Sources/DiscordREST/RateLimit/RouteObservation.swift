/// The route-wide view of one bucket hash over every major value: its sends by send instant and what became of
/// them, the rate proven to be admitted, and (after a 429 blamed on it) the learned limit of an unannounced
/// per-token limit (discord-api-docs #8161), probed upward by one request per window.
///
/// Everything is counted by *send* instant, never by answer arrival: answers of one server window can arrive
/// spread over two client windows (a late answer, a busy client), and answers of two server windows can arrive
/// bunched into one, so arrival counts overstate what a window admitted. By send instant, a route held to
/// ``verified`` sends per window (plus one probe) can never prove more than one request above ``verified``.
struct RouteObservation: Sendable, Hashable {
    /// What became of a send.
    enum Outcome: Sendable, Hashable {
        /// No answer yet (or none that tells: a 5xx, a lost connection).
        case pending
        /// Admitted: a non-429, non-5xx answer.
        case admitted
        /// Refused with a 429.
        case refused
    }

    /// One send on the route.
    struct Send: Sendable, Hashable {
        /// The permit's id.
        var id: UInt64
        /// When it was sent.
        var at: Duration
        var outcome: Outcome = .pending
        /// Whether the window already held ``RouteObservation/verified`` sends when it went out (a probe): only
        /// these, admitted, raise ``RouteObservation/verified``.
        var beyondVerified = false
    }

    /// Sends of the last two windows (oldest first): one window to limit the rate, one more so that the window
    /// ending at a send answered late can still be counted.
    private(set) var sends: [Send] = []
    /// The most sends admitted within one window (by send instant): sends beyond it are probes, one at a time.
    /// It grows by one per admitted send that went beyond it (a probe), never more.
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
    /// The earliest instant of the next send while a learned limit is spent evenly (the theoretical arrival time of
    /// a cell-rate algorithm): one spacing after the last send's slot. A send later than its slot (a caller woken
    /// late by a busy machine, none ready) is charged from its slot, not from its instant, up to the pacing
    /// tolerance: the next ones catch up, so lateness does not cost the limit a send per late wake-up (the window
    /// count still caps every window). A send the server never counted gives its spacing back.
    private(set) var pacedNext: Duration?
    /// The spacing charged to the last send (the learned window over the learned limit).
    private var spacing: Duration = .zero
    /// Sends on the route not answered yet.
    var inFlight = 0
    /// Additive increase: the earliest instant ``limit`` may grow by one.
    var nextIncreaseAt: Duration = .zero
    /// Windows between increases; doubles at every 429.
    var backoffWindows = 1
    /// Nothing is sent on the route before this instant (the `retry_after` of a route-wide 429).
    var pausedUntil: Duration?

    /// Drops sends too old to count in any window that still matters.
    mutating func prune(now: Duration, window: Duration) {
        if let index = sends.firstIndex(where: { $0.at + window * 2 > now }) {
            sends.removeFirst(index)
        } else {
            sends.removeAll()
        }
    }

    /// Sends within the window ending at `now`.
    func sendsInWindow(now: Duration, window: Duration) -> Int {
        var count = 0
        for send in sends.reversed() {
            guard send.at + window > now else { break }
            count += 1
        }
        return count
    }

    /// When the oldest send of the window ending at `now` leaves it.
    func nextOpening(now: Duration, window: Duration) -> Duration? {
        sends.first { $0.at + window > now }.map { $0.at + window }
    }

    /// Records a send; `tolerance` is how far behind `now` the paced slots may lag and still be caught up.
    mutating func recordSend(id: UInt64, now: Duration, window: Duration, tolerance: Duration = .zero) {
        let beyond = sendsInWindow(now: now, window: window) >= verified
        sends.append(Send(id: id, at: now, beyondVerified: beyond))
        inFlight += 1
        if let limit {
            spacing = window / max(1, limit)
            pacedNext = max(pacedNext ?? now, now - tolerance) + spacing
        }
    }

    /// Records a send learned of only from its answer (the one request that discovered the route's hash):
    /// it went beyond nothing verified, and it was admitted if `admitted`.
    mutating func recordDiscovery(id: UInt64, at: Duration, admitted: Bool, window: Duration) {
        let index = sends.firstIndex { $0.at > at } ?? sends.endIndex
        sends.insert(Send(id: id, at: at, beyondVerified: true), at: index)
        recordAnswer(id: id, admitted: admitted, window: window)
    }

    /// Records the answer to send `id`: an admitted probe raises ``verified`` by one.
    mutating func recordAnswer(id: UInt64, admitted: Bool, window: Duration) {
        guard let index = sends.lastIndex(where: { $0.id == id }) else { return }  // too old to count
        sends[index].outcome = admitted ? .admitted : .refused
        guard admitted, sends[index].beyondVerified else { return }
        // Never by more than the probe proved: one request, if the window of sends ending at it (by send instant;
        // those unanswered yet count as admitted, a refusal among them teaches the limit instead) held more.
        // Sends straddling the server's window boundary can be admitted beyond its limit, so this may overshoot:
        // the route window's margin absorbs one request, and a 429 teaches the limit by send instant.
        let sentAt = sends[index].at
        let held = sends[...index].reversed().prefix { $0.at + window > sentAt }.filter { $0.outcome != .refused }
        guard held.count > verified else { return }
        verified += 1
        // A raise above the learned limit held: probe more often again.
        if let limit, verified >= limit { backoffWindows = max(1, backoffWindows / 2) }
    }

    /// Learns from a 429 blamed on the route, drawn by the send at `sentAt`: the limit is what the server's window
    /// admitted before it, counted by send instant.
    /// - Parameters:
    ///   - window: the window with a margin for jitter; only sends within it before `sentAt` count.
    ///   - nominalWindow: the limit's own window (Discord's hidden limits are per second). The server's window
    ///     ends `retryAfter` after it refused the send, so it began `nominalWindow` before that: earlier sends
    ///     belong to the window before and do not count.
    mutating func limited(
        id: UInt64, sentAt: Duration, now: Duration, window: Duration, nominalWindow: Duration, retryAfter: Duration
    ) {
        prune(now: now, window: window)
        let seen = admittedBefore(
            id: id, sentAt: sentAt, window: window, nominalWindow: nominalWindow, retryAfter: retryAfter)
        if let index = sends.lastIndex(where: { $0.id == id }) { sends[index].outcome = .refused }
        // Multiplicative decrease: one 429 takes the limit down to what the server's window admitted, but never
        // below three quarters of the limit learned before. A count far below it is more likely a count gone wrong
        // (sends on both sides of the server's window boundary, answers delayed) than a limit that fell that far in
        // one step; if it did, the next 429s bring the limit down the rest of the way.
        var learned = max(1, seen)
        if let previous = limit { learned = min(previous, max(learned, previous * 3 / 4)) }
        limit = learned
        verified = learned
        backoffWindows = min(64, max(4, backoffWindows * 2))
        nextIncreaseAt = now + window * backoffWindows
        let until = now + retryAfter
        pausedUntil = max(pausedUntil ?? until, until)
    }

    /// The sends the server's window admitted before send `id` (refused at `sentAt`, with `retryAfter` until that
    /// window ends), counted by send instant: those not refused (unanswered ones too) since the window began.
    /// - Parameters:
    ///   - window: the window with a margin for jitter; only sends within it before `sentAt` count.
    ///   - nominalWindow: the limit's own window. The server's window ends `retryAfter` after it refused the send,
    ///     so it began `nominalWindow` before that: earlier sends belong to the window before and do not count.
    func admittedBefore(
        id: UInt64, sentAt: Duration, window: Duration, nominalWindow: Duration, retryAfter: Duration
    ) -> Int {
        // Requests reach the server in no order the client knows: a send granted at the same instant as this one
        // (a burst) may have reached it first. A send that reached the server later
        // than this one (a busy client, the network) also makes the server's window look later than it began, and
        // a rounded `retry_after` can too: the sends that opened it must not fall out of the count. So the server's
        // window, which began `nominalWindow` before it ends (`retryAfter` after it refused this send), is taken to
        // begin as early as the margin allows. Counting a send of another window costs at most one more 429; leaving
        // out a burst of the window would teach a limit far too low, which grows back one request per several
        // windows.
        let windowStart = retryAfter < nominalWindow ? sentAt + retryAfter - window : sentAt - window
        return sends.filter { $0.id != id && $0.at >= windowStart && $0.at <= sentAt && $0.outcome != .refused }.count
    }

    /// Forgets send `id`: its answer proves the server never counted it (a fault answered before the limits).
    /// Its slot in the even spending of a learned limit is given back too: a fault does not cost the limit a send.
    mutating func forget(id: UInt64) {
        guard let index = sends.firstIndex(where: { $0.id == id }) else { return }
        sends.remove(at: index)
        if let next = pacedNext { pacedNext = next - spacing }
    }

    /// When the route may send next if its sends are spread evenly over the window at its learned limit, or `nil`
    /// when no limit was learned. Spread, a send that reaches the server a little early or late is one request on
    /// the wrong side of the server's window boundary, not a whole burst.
    func nextPacedSend() -> Duration? {
        limit == nil ? nil : pacedNext
    }

    /// Additive increase by one request per window once the backoff has passed.
    mutating func increaseIfDue(now: Duration, window: Duration) {
        guard let current = limit, now >= nextIncreaseAt else { return }
        limit = current + 1
        nextIncreaseAt = now + window * backoffWindows
    }
}
