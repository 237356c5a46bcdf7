/// The route-wide view of one bucket hash over every major value: its sends by send instant and what became of
/// them, the rate proven to be admitted, and (after a 429 blamed on it) the learned limit of an unannounced
/// per-token limit (discord-api-docs #8161), probed upward by one request per window.
///
/// Everything is counted by *send* instant, never by answer arrival: answers of one server window can arrive
/// spread over two client windows (a late answer, a busy client), and answers of two server windows can arrive
/// bunched into one, so arrival counts overstate what a window admitted.
///
/// A proof counts one *server* window only. The server's window opens at the first request it counts after the
/// last one ended and lasts ``serverWindow``; the route follows that chain in send instants from an anchor (its
/// first send, or the end a `retry_after` named). Counted over a client window instead, a probe that opened the
/// server's next window was taken as proof that the window before had admitted one more: a traced hostile run
/// "proved" 25 against an enforced 20 that way, then drew three 429s at once.
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
    /// The length of the server's window for an unannounced limit (Discord's hidden limits are per second).
    var serverWindow: Duration = .seconds(1)
    /// How far a request may reach the server later than its send instant says, relative to the others (network,
    /// a busy client): a send this close to an inferred window boundary may lie on either side of it.
    var boundaryMargin: Duration = .milliseconds(50)
    /// Whether probes and proofs count the server's inferred windows rather than the client's window of sends. On
    /// from the start (issue 15, part C, stop 18): counted over the client's sliding 1.1 s window, sends spread evenly
    /// in time "proved" up to 28 against a hidden 20 before the first 429 (the window takes in the ends of two server
    /// windows), and the discovery cost a burst of 3-9 429s in virtual time with late answers; counted by the server's
    /// windows it costs one, and the wide world (no hidden limit) finishes no later (49.9-50.9 s against 50.1-52.1 s).
    var countsServerWindows = true
    /// The client window the last send was counted in (what a proof counts while ``countsServerWindows`` is off).
    private var clientWindow: Duration = .milliseconds(1100)
    /// A send instant at which one of the server's windows is known to have ended: the first counted send at or after
    /// it opened the next (set by the route's first send, a route 429's `retry_after`, and pruning).
    private(set) var windowAnchor: Duration?
    /// Additive increase: the earliest instant ``limit`` may grow by one.
    var nextIncreaseAt: Duration = .zero
    /// Windows between increases; doubles at every 429.
    var backoffWindows = 1
    /// Nothing is sent on the route before this instant (the `retry_after` of a route-wide 429).
    var pausedUntil: Duration?
    /// The margin a 429 within the proven count asked for: the margin the learned limit was spent with when it came
    /// plus how long before the server's window ended the refused send reached it (`retry_after`). Such a 429 is a
    /// send that reached the server earlier, relative to the window's first, than the margin allowed for (or a limit
    /// that dropped); the margin stays at least this wide, narrowing by ``marginDecayPerSecond``.
    private(set) var marginFloor: Duration = .zero
    private var marginFloorAt: Duration = .zero
    /// How fast ``marginFloor`` narrows again.
    var marginDecayPerSecond: Duration = .milliseconds(1)

    /// Drops sends too old to count in any window that still matters.
    mutating func prune(now: Duration, window: Duration) {
        let index = sends.firstIndex { $0.at + window * 2 > now } ?? sends.endIndex
        guard index > 0 else { return }
        // The server's windows opened by the sends going keep their place: the anchor moves to the end of the last.
        if let last = serverWindows().last(where: { $0.opener < index }) {
            windowAnchor = max(windowAnchor ?? last.end, last.end)
        }
        sends.removeFirst(index)
    }

    /// The server's windows as inferred from the anchor, in send instants: each opened by the first counted (not
    /// refused) send at or after the end of the one before, `previousEnd` being that end.
    func serverWindows() -> [(opener: Int, start: Duration, end: Duration, previousEnd: Duration)] {
        guard let anchor = windowAnchor else { return [] }
        var windows: [(opener: Int, start: Duration, end: Duration, previousEnd: Duration)] = []
        var end = anchor
        for index in sends.indices where sends[index].outcome != .refused && sends[index].at >= end {
            windows.append((index, sends[index].at, sends[index].at + serverWindow, end))
            end = sends[index].at + serverWindow
        }
        return windows
    }

    /// How many sends up to and including `index` the server's window holding it is known to have counted, or `nil`
    /// when the send may lie in a window other than the one inferred: too close to the window's end (it may have
    /// opened the next), or no anchor. Sends at the window's start that may have been the previous window's
    /// (within ``boundaryMargin`` of its inferred end) are left out: the count is a floor, never more than the truth.
    func serverWindowCount(through index: Int) -> Int? {
        guard sends.indices.contains(index), let anchor = windowAnchor, sends[index].at >= anchor,
            let window = serverWindows().last(where: { $0.opener <= index })
        else { return nil }
        let at = sends[index].at
        guard at < window.end - boundaryMargin else { return nil }
        let from = max(window.start, window.previousEnd + boundaryMargin)
        return sends[window.opener...index].filter { $0.outcome != .refused && $0.at >= from }.count
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

    /// At most how many counted sends the server's window that a send at `now` would fall in already holds: the
    /// inferred window's sends and those within ``boundaryMargin`` before its opener (any of them may have opened it),
    /// until a margin after its inferred end (a send that close may still be in it). Sends within ``verified`` per
    /// server window go out freely; beyond, one at a time. Counted over a client window longer than the server's,
    /// a window's sends could never prove more than the client window held, so the route stopped growing.
    func serverWindowLoad(now: Duration) -> Int {
        guard let anchor = windowAnchor else { return 0 }
        // Every inferred window not ended a margin before `now` may be the one: a send just after an inferred end
        // opened a window of its own only if the one before really had ended.
        var from: Duration?
        let windows = serverWindows()
        for window in windows.reversed() {
            guard now < window.end + boundaryMargin else { break }
            from = window.start - boundaryMargin
        }
        if from == nil || windows.first.map({ now < $0.previousEnd + boundaryMargin }) == true,
            now < anchor + boundaryMargin
        {
            from = anchor - serverWindow - boundaryMargin
        }
        guard let from else { return 0 }
        return sends.filter { $0.outcome != .refused && $0.at >= from && $0.at <= now }.count
    }

    /// The sends a send at `now` joins, against ``verified``: the server's inferred window (``serverWindowLoad(now:)``)
    /// or the client's window ending at `now`.
    func load(now: Duration, window: Duration) -> Int {
        countsServerWindows ? serverWindowLoad(now: now) : sendsInWindow(now: now, window: window)
    }

    /// When the oldest send of the window ending at `now` leaves it.
    func nextOpening(now: Duration, window: Duration) -> Duration? {
        sends.first { $0.at + window > now }.map { $0.at + window }
    }

    /// Records a send; `tolerance` is how far behind `now` the paced slots may lag and still be caught up.
    mutating func recordSend(id: UInt64, now: Duration, window: Duration, tolerance: Duration = .zero) {
        // The route's first send opened a server window: no window of it ended near there.
        if windowAnchor == nil { windowAnchor = now - boundaryMargin }
        clientWindow = window
        let beyond = load(now: now, window: window) >= verified
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
        if windowAnchor.map({ $0 > at - boundaryMargin }) ?? true { windowAnchor = at - boundaryMargin }
        sends.insert(Send(id: id, at: at, beyondVerified: true), at: index)
        recordAnswer(id: id, admitted: admitted)
    }

    /// Records the answer to send `id`: an admitted probe raises ``verified`` by one.
    mutating func recordAnswer(id: UInt64, admitted: Bool) {
        guard let index = sends.lastIndex(where: { $0.id == id }) else { return }  // too old to count
        sends[index].outcome = admitted ? .admitted : .refused
        guard admitted, sends[index].beyondVerified else { return }
        // Never by more than the probe proved: one request, if the server's window holding it (by send instant;
        // those unanswered yet count as admitted, a refusal among them teaches the limit instead) held more.
        // Only one server window counts: sends straddling its boundary are admitted beyond its limit.
        let held: Int?
        if countsServerWindows {
            held = serverWindowCount(through: index)
        } else {
            let sentAt = sends[index].at
            held =
                sends[...index].reversed().prefix { $0.at + clientWindow > sentAt }.filter { $0.outcome != .refused }
                .count
        }
        guard let held, held > verified else { return }
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
    ///   - margin: the margin beyond `nominalWindow` the learned limit was spent with.
    mutating func limited(
        id: UInt64, sentAt: Duration, now: Duration, window: Duration, nominalWindow: Duration, retryAfter: Duration,
        margin: Duration = .zero
    ) {
        prune(now: now, window: window)
        let seen = admittedBefore(
            id: id, sentAt: sentAt, window: window, nominalWindow: nominalWindow, retryAfter: retryAfter)
        let index = sends.lastIndex { $0.id == id }
        let refusedProbe = index.map { sends[$0].beyondVerified } ?? false
        if let index { sends[index].outcome = .refused }
        // The server's window ends `retryAfter` after it refused the send: the next counted send opens the next.
        windowAnchor = sentAt + retryAfter
        if !refusedProbe, limit != nil, retryAfter < nominalWindow {
            // No wider than the margin the route's windows are inferred with (the widest in use): a limit that fell
            // refuses sends long before the window's end, and a floor that wide would take minutes to narrow.
            marginFloor = min(boundaryMargin, max(marginFloor(now: now), margin + retryAfter))
            marginFloorAt = now
        }
        let previous = limit
        let learned = Self.learnedLimit(previous: previous, proven: verified, seen: seen, refusedProbe: refusedProbe)
        limit = learned
        verified = learned
        // A 429 doubles the wait before the next raise (4, 8 … 64 windows: limits rarely change), except one within
        // the proven count that lowered the limit: a limit that fell is followed back up at the first pace. A wait
        // doubled by the 429s of its fall (64 windows after three) kept a limit that dropped for 30 s and came back
        // low for 70 s more. (A refused probe only undoes its raise: its wait doubles.)
        if !refusedProbe, let previous, learned < previous {
            backoffWindows = 4
        } else {
            backoffWindows = min(64, max(4, backoffWindows * 2))
        }
        nextIncreaseAt = now + window * backoffWindows
        let until = now + retryAfter
        pausedUntil = max(pausedUntil ?? until, until)
    }

    /// The least margin beyond the server's window a learned limit is spent with at `now` (``marginFloor``,
    /// narrowed since it was set).
    func marginFloor(now: Duration) -> Duration {
        let narrowed = marginDecayPerSecond * ((now - marginFloorAt) / .seconds(1))
        return narrowed >= marginFloor ? .zero : marginFloor - narrowed
    }

    /// The limit a route 429 leaves: `previous` (the limit learned so far, if any), `proven` (the most sends one
    /// server window was proven to admit), `seen` (what the refusing window admitted before the refused send, a count
    /// that may take in a send of the window before or leave out one of its own).
    ///
    /// The first 429 teaches what the refusing window admitted: the count proven until then may have been counted over
    /// the client's windows while the headers were believed, which overstate the server's (a virtual run with late
    /// answers "proved" 25 against 20). Once a limit is learned, a refused probe (a send beyond the proven count)
    /// loses only the probe: the proven count stands, whatever the refusing window's count says (counted one too
    /// high it drew a second 429 in the next window; one too low it cost a request per window until the next raise,
    /// 4 windows or more away). A 429 within the proven count means the limit dropped: multiplicative decrease to
    /// what the server's window admitted, but never below three quarters of the limit learned before. A count far
    /// below it is more likely a count gone wrong (sends on both sides of the server's window boundary, answers
    /// delayed) than a limit that fell that far in one step; if it did, the next 429s bring the limit down the rest of
    /// the way.
    static func learnedLimit(previous: Int?, proven: Int, seen: Int, refusedProbe: Bool) -> Int {
        if refusedProbe, let previous, proven > 0 { return min(previous, proven) }
        var learned = max(1, seen)
        if let previous { learned = min(previous, max(learned, previous * 3 / 4)) }
        return learned
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
        var windowStart = retryAfter <= nominalWindow ? sentAt + retryAfter - window : sentAt - window
        // Where the chain of the server's windows agrees with the `retry_after` (its window holding this send opened
        // within ``boundaryMargin`` of where the refusal says), the send that opened it is known: the sends before it
        // were the window before's (counted, a traced run learned 21 of an enforced 20).
        if retryAfter <= nominalWindow, let index = sends.lastIndex(where: { $0.id == id }),
            let opened = serverWindows().last(where: { $0.opener < index && $0.start <= sentAt })
        {
            let said = sentAt + retryAfter - nominalWindow
            let gap = opened.start > said ? opened.start - said : said - opened.start
            if gap <= boundaryMargin { windowStart = opened.start }
        }
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
