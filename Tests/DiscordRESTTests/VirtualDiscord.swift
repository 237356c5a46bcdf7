@testable import DiscordREST

/// A model of Discord's message-history limits in virtual time, for driving ``RateLimitStateMachine`` without
/// I/O: per-channel buckets that may enforce less than their headers announce, an unannounced per-token limit
/// across channels, and optional `shared` 429s.
struct VirtualDiscord {
    /// Requests each channel's bucket admits per window.
    var bucketLimit = 5
    /// What `X-RateLimit-Limit` says (twice `bucketLimit` for lying headers).
    var announcedLimit = 10
    var bucketWindow: Duration = .seconds(5)
    /// How much later than its headers say a bucket's window really resets (`Reset-After` counts to the announced
    /// reset, the window goes on this much longer; a 429's `retry_after` tells the real wait).
    var resetLateness: Duration = .zero
    /// The unannounced per-token limit per `hiddenWindow`, across channels.
    var hiddenLimit: Int? = 20
    var hiddenWindow: Duration = .seconds(1)
    /// Every `sharedEvery`-th request gets a `shared` 429 (0: never).
    var sharedEvery = 0
    /// The fraction of requests answered 502 before any limit counts them (the simulator's `--fault-rate`: a fault
    /// is decided first and costs neither the bucket nor the hidden limit), drawn from a fixed sequence.
    var faultRate = 0.0
    /// Discord's global limit per token: requests per window of 1 s that opens when a request arrives after the
    /// last one ended (`nil`: none).
    var globalLimit: Int?
    let hash = "history"
    /// Whether the headers name the bucket (`X-RateLimit-Bucket`); every rate-limit header is optional.
    var namesBucket = true
    private var globalWindow: (resetAt: Duration, count: Int)?
    /// Global 429s answered.
    private(set) var globalLimited = 0
    private var faultDraw: UInt64 = 0x9E37_79B9_7F4A_7C15

    private var windows: [String: (resetAt: Duration, count: Int)] = [:]
    /// Windows each major's bucket opened (a window opens at the first request it admits after the last one ended).
    private(set) var windowsOpened: [String: Int] = [:]
    private var hidden: (resetAt: Duration, count: Int)?
    private var received = 0

    /// 429s of scope user (invalid) and shared answered so far.
    private(set) var userLimited = 0
    private(set) var sharedLimited = 0
    private(set) var admitted = 0
    /// 429s of the unannounced per-token limit (the rest of ``userLimited`` are the buckets').
    private(set) var hiddenLimited = 0
    /// 502s answered (``faultRate``).
    private(set) var faults = 0

    /// Answers one request on `major` arriving at `now`.
    mutating func answer(major: String, now: Duration) -> RateLimitStateMachine.Response {
        received += 1
        if faultRate > 0 {
            faultDraw = faultDraw &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            if Double(faultDraw >> 11) / Double(1 << 53) < faultRate {
                faults += 1
                return .init(status: 502)
            }
        }
        if let globalLimit {
            var global = globalWindow ?? (now + .seconds(1), 0)
            if now >= global.resetAt { global = (now + .seconds(1), 0) }
            global.count += 1
            globalWindow = global
            if global.count > globalLimit {
                globalLimited += 1
                let wait = global.resetAt - now
                let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
                return .init(
                    status: 429, headers: RateLimitHeaders(isGlobal: true, scope: "global"), bodyRetryAfter: seconds,
                    bodyGlobal: true)
            }
        }
        var window = windows[major] ?? (now + bucketWindow, 0)
        if now >= window.resetAt + resetLateness { window = (now + bucketWindow, 0) }
        defer { windows[major] = window }
        func headers(scope: String? = nil) -> RateLimitHeaders {
            let resetAfter = max(.zero, window.resetAt - now)
            return RateLimitHeaders(
                limit: announcedLimit, remaining: max(0, announcedLimit - window.count),
                resetAfter: Double(resetAfter.components.seconds) + Double(resetAfter.components.attoseconds) / 1e18,
                bucket: namesBucket ? hash : nil, scope: scope)
        }
        func limited(_ scope: String, until: Duration) -> RateLimitStateMachine.Response {
            let wait = until - now
            let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
            return .init(status: 429, headers: headers(scope: scope), bodyRetryAfter: seconds, bodyGlobal: false)
        }
        if sharedEvery > 0, received % sharedEvery == 0 {
            sharedLimited += 1
            return limited("shared", until: now + .seconds(1))
        }
        if window.count >= bucketLimit {
            userLimited += 1
            return limited("user", until: window.resetAt + resetLateness)
        }
        if let hiddenLimit {
            var token = hidden ?? (now + hiddenWindow, 0)
            if now >= token.resetAt { token = (now + hiddenWindow, 0) }
            if token.count >= hiddenLimit {
                hidden = token
                userLimited += 1
                hiddenLimited += 1
                return limited("user", until: token.resetAt)
            }
            token.count += 1
            hidden = token
        }
        if window.count == 0 { windowsOpened[major, default: 0] += 1 }
        window.count += 1
        admitted += 1
        return .init(status: 200, headers: headers())
    }
}

/// Runs `workers` callers (each a channel, or a range of one) against a ``VirtualDiscord`` through a
/// ``RateLimitStateMachine``, in virtual time: every caller sends, waits for its answer (`latency`), and asks
/// again; callers told to wait sleep in virtual time until their instant or until any answer arrives.
struct VirtualRun {
    var machine = RateLimitStateMachine()
    var server: VirtualDiscord
    var latency: Duration = .milliseconds(10)
    /// Extra delay of the `n`-th answer (1-based) on its way back: a busy client or a slow network reorders
    /// answers and shifts the reset instants computed from them.
    var answerDelay: @Sendable (Int) -> Duration = { _ in .zero }
    /// How much later than its grant the `n`-th request (1-based) reaches the server: a busy client sends late, a
    /// loaded network delays some requests more than others.
    var sendJitter: @Sendable (Int) -> Duration = { _ in .zero }
    /// Where on its way the server decides a request, as a fraction of `latency` (the simulator sleeps its whole
    /// latency before it counts a request and answers at once: 1).
    var decidedAt = 0.5
    /// How long a caller takes after its answer before it asks again (storing the page).
    var thinkTime: Duration = .zero
    /// How much later than asked a caller woken at an instant runs: a busy machine runs sleepers' timers, their
    /// tasks and the limiter's actor some milliseconds late, all the callers of one instant alike (the simulator's
    /// hostile run on a loaded machine sent 14 ms after the limiter's paced instant on average, 35 ms at p90).
    var wakeLateness: @Sendable (Duration) -> Duration = { _ in .zero }
    /// How long a caller waits after a 5xx before it asks again (the client's retry backoff).
    var faultBackoff: Duration = .zero
    /// When set, the callers whose turn has come at one instant ask in a pseudo-random order drawn from this seed
    /// (a real client's tasks wake in no fixed order); otherwise in index order.
    var callerOrderSeed: UInt64?
    /// One major value per caller (callers with the same major share a channel).
    var majors: [String]
    /// Pages each caller fetches before it is done (`nil`: callers never finish), by caller index.
    var pages: [Int]?
    /// When the last caller got its last page, once every caller is done.
    private(set) var finishedAt: Duration?
    /// When each caller got its last page (by caller index), once it did.
    private(set) var callerFinishedAt: [Duration?] = []
    /// Whether each caller tells the machine the pages it has left (``RequestPriority/workLeft``), with ``pages``.
    var reportsWorkLeft = false
    /// Whether callers give the machine a waiter id, so that the global limit parks them in its queue
    /// (``RateLimitStateMachine/takeGlobalTurns(now:)``) as `RateLimiter` does, instead of telling them an instant.
    var parksOnGlobal = true
    /// Each caller's waiter id: a new one for each request, kept while it asks again.
    private var waiterIDs: [UInt64] = []
    private var nextWaiterID: UInt64 = 0
    /// When the global queue's next turns are taken (its timer, late as every wake-up is).
    private var globalWakeAt: Duration?
    /// Acquire calls made (each ask, first or again).
    private(set) var asks = 0
    private var pagesDone: [Int] = []
    var template = "/channels/{channel_id}/messages"

    /// Requests sent (429s included) and answers by instant.
    private(set) var sent = 0
    private(set) var log: [(at: Duration, status: Int, shared: Bool)] = []
    /// 429s with the permit that drew them (diagnostics).
    private(set) var limitedPermits: [(at: Duration, permit: RateLimitStateMachine.Permit, retryAfter: Double?)] = []
    private(set) var now: Duration = .zero
    /// Hook called before each instant is processed (to change the server mid-run).
    var onTick: ((Duration, inout VirtualDiscord) -> Void)?

    private enum Caller {
        case ready(at: Duration)
        case parked
        /// Parked in the machine's global queue.
        case parkedForGlobal
        case done
        case travelling(RateLimitStateMachine.Permit, reachesServer: Duration, answerAfter: Duration)
        case inFlight(RateLimitStateMachine.Permit, RateLimitStateMachine.Response, arrives: Duration)
    }

    /// Every caller's state; kept between calls of ``run(until:)``.
    private var callers: [Caller]

    init(server: VirtualDiscord, majors: [String]) {
        self.server = server
        self.majors = majors
        self.callers = majors.map { _ in Caller.ready(at: .zero) }
        self.pagesDone = majors.map { _ in 0 }
        self.callerFinishedAt = majors.map { _ in nil }
        self.waiterIDs = majors.indices.map { UInt64($0 + 1) }
        self.nextWaiterID = UInt64(majors.count)
    }

    /// Caller `index` asks the machine and acts on its answer.
    private mutating func ask(_ index: Int) {
        let route = RouteKey(method: "GET", template: template, major: majors[index])
        let workLeft = reportsWorkLeft ? pages.map { $0[index] - pagesDone[index] } : nil
        asks += 1
        let action = machine.acquire(
            route, now: now, workLeft: workLeft, waiter: parksOnGlobal ? waiterIDs[index] : nil)
        if let window = traceWindow, now >= window.from, now < window.to {
            traces.append("\(now) \(majors[index]) \(action)")
        }
        switch action {
        case .send(let permit):
            sent += 1
            // The server decides at arrival (`decidedAt` of the latency, later by the send's jitter); the
            // answer comes back the rest of the latency later.
            let reaches = now + latency * decidedAt + sendJitter(sent)
            callers[index] = .travelling(
                permit, reachesServer: reaches, answerAfter: latency * (1 - decidedAt) + answerDelay(sent))
            nextWaiterID += 1
            waiterIDs[index] = nextWaiterID
        case .wait(let until):
            callers[index] = .ready(at: until + wakeLateness(until))
        case .waitForResponse:
            callers[index] = .parked
        case .waitForGlobalSlot:
            callers[index] = .parkedForGlobal
        case .refuse:
            callers[index] = .ready(at: .seconds(1_000_000))
        }
    }

    /// The parked callers whose turn has come ask again, as `RateLimiter` has them ask; then the queue's next turn.
    private mutating func takeGlobalTurns() {
        var turns = machine.takeGlobalTurns(now: now)
        while !turns.due.isEmpty {
            for id in turns.due {
                guard let index = waiterIDs.firstIndex(of: id), case .parkedForGlobal = callers[index] else { continue }
                ask(index)
            }
            turns = machine.takeGlobalTurns(now: now)
        }
        if case .at(let instant) = turns.next {
            globalWakeAt = instant + wakeLateness(instant)
        } else {
            globalWakeAt = nil
        }
    }

    /// Runs until `end` (virtual time); a later call goes on from there.
    mutating func run(until end: Duration) {
        while now < end, finishedAt == nil {
            onTick?(now, &server)
            // Answers due now.
            var answered = false
            for index in callers.indices {
                if case .inFlight(let permit, let response, let arrives) = callers[index], arrives <= now {
                    _ = machine.complete(permit, response: response, now: now)
                    log.append((now, response.status, response.headers.scope == "shared"))
                    if response.status == 429 {
                        limitedPermits.append((now, permit, response.bodyRetryAfter))
                        let route = permit.route
                        limitNotes.append(
                            "429 at \(now) sent \(permit.sentAt) \(route.major) bucketProbe \(permit.isBucketProbe) "
                                + "routeProbe \(permit.isRouteProbe) retry \(response.bodyRetryAfter ?? -1) "
                                + "resetAfter \(response.headers.resetAfter ?? -1) remaining \(response.headers.remaining ?? -1) → "
                                + "observed \(machine.observedLimit(for: route).map(String.init) ?? "-") "
                                + "route \(machine.routeLimit(for: route).map(String.init) ?? "-")")
                    }
                    callers[index] = .ready(at: now + (response.status >= 500 ? faultBackoff : thinkTime))
                    if response.status == 200, let pages {
                        pagesDone[index] += 1
                        if pagesDone[index] >= pages[index] {
                            callers[index] = .done
                            callerFinishedAt[index] = now
                        }
                        if finishedAt == nil, pagesDone.indices.allSatisfy({ pagesDone[$0] >= pages[$0] }) {
                            finishedAt = now
                        }
                    }
                    answered = true
                }
            }
            // Requests reaching the server now: it decides them in the order they arrive.
            for index in callers.indices {
                if case .travelling(let permit, let reaches, let after) = callers[index], reaches <= now {
                    let response = server.answer(major: permit.route.major, now: now)
                    callers[index] = .inFlight(permit, response, arrives: now + after)
                }
            }
            if answered {
                for index in callers.indices {
                    if case .parked = callers[index] { callers[index] = .ready(at: now + wakeLateness(now)) }
                }
            }
            // Callers whose turn has come.
            var order = Array(callers.indices)
            if var seed = callerOrderSeed {
                seed ^= UInt64(now / .microseconds(1)) &* 0x9E37_79B9_7F4A_7C15
                for position in order.indices.reversed() where position > 0 {
                    seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    order.swapAt(position, Int((seed >> 33) % UInt64(position + 1)))
                }
            }
            var asked = false
            for index in order {
                guard case .ready(let at) = callers[index], at <= now else { continue }
                ask(index)
                asked = true
            }
            // The limiter takes the global queue's turns after every answer, every timer and every new park.
            if parksOnGlobal, answered || asked || globalWakeAt.map({ now >= $0 }) == true { takeGlobalTurns() }
            // Next instant: the earliest answer or wake-up (a wake-up at or before now moves on by a tick).
            var next = end
            if let wake = globalWakeAt { next = min(next, wake > now ? wake : now + .milliseconds(1)) }
            for index in callers.indices {
                switch callers[index] {
                case .ready(let at):
                    let due = at > now ? at : now + .milliseconds(1)
                    callers[index] = .ready(at: due)
                    next = min(next, due)
                case .inFlight(_, _, let arrives): next = min(next, arrives)
                case .travelling(_, let reaches, _): next = min(next, reaches)
                case .parked, .parkedForGlobal, .done: break
                }
            }
            now = max(next, now + .microseconds(1))
        }
        var parked = 0
        var waiting: [Duration] = []
        var inFlight = 0
        for caller in callers {
            switch caller {
            case .parked, .parkedForGlobal: parked += 1
            case .done: break
            case .ready(let at): waiting.append(at)
            case .inFlight, .travelling: inFlight += 1
            }
        }
        lastStates = "parked=\(parked) inFlight=\(inFlight) waiting=\(waiting.sorted().prefix(3))"
    }

    /// Acquire decisions between these instants are kept in ``traces`` (diagnostics).
    var traceWindow: (from: Duration, to: Duration)?
    private(set) var traces: [String] = []

    /// The callers at the end of the last `run` (diagnostics).
    private(set) var lastStates = ""

    /// Each 429 and what the machine learned from it (diagnostics).
    private(set) var limitNotes: [String] = []

    /// Forgets the recorded 429 permits.
    mutating func clearLimited() { limitedPermits.removeAll() }

    /// Requests and user 429s answered from `start` on.
    func counts(from start: Duration) -> (requests: Int, invalid: Int) {
        let after = log.filter { $0.at >= start }
        return (after.count, after.filter { $0.status == 429 && !$0.shared }.count)
    }
}
