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
    /// The unannounced per-token limit per `hiddenWindow`, across channels.
    var hiddenLimit: Int? = 20
    var hiddenWindow: Duration = .seconds(1)
    /// Every `sharedEvery`-th request gets a `shared` 429 (0: never).
    var sharedEvery = 0
    let hash = "history"

    private var windows: [String: (resetAt: Duration, count: Int)] = [:]
    private var hidden: (resetAt: Duration, count: Int)?
    private var received = 0

    /// 429s of scope user (invalid) and shared answered so far.
    private(set) var userLimited = 0
    private(set) var sharedLimited = 0
    private(set) var admitted = 0
    /// 429s of the unannounced per-token limit (the rest of ``userLimited`` are the buckets').
    private(set) var hiddenLimited = 0

    /// Answers one request on `major` arriving at `now`.
    mutating func answer(major: String, now: Duration) -> RateLimitStateMachine.Response {
        received += 1
        var window = windows[major] ?? (now + bucketWindow, 0)
        if now >= window.resetAt { window = (now + bucketWindow, 0) }
        defer { windows[major] = window }
        func headers(scope: String? = nil) -> RateLimitHeaders {
            let resetAfter = window.resetAt - now
            return RateLimitHeaders(
                limit: announcedLimit, remaining: max(0, announcedLimit - window.count),
                resetAfter: Double(resetAfter.components.seconds) + Double(resetAfter.components.attoseconds) / 1e18,
                bucket: hash, scope: scope)
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
            return limited("user", until: window.resetAt)
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
    /// Where on its way the server decides a request, as a fraction of `latency` (the simulator sleeps its whole
    /// latency before it counts a request and answers at once: 1).
    var decidedAt = 0.5
    /// How long a caller takes after its answer before it asks again (storing the page).
    var thinkTime: Duration = .zero
    /// One major value per caller (callers with the same major share a channel).
    var majors: [String]
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
        case inFlight(RateLimitStateMachine.Permit, RateLimitStateMachine.Response, arrives: Duration)
    }

    /// Every caller's state; kept between calls of ``run(until:)``.
    private var callers: [Caller]

    init(server: VirtualDiscord, majors: [String]) {
        self.server = server
        self.majors = majors
        self.callers = majors.map { _ in Caller.ready(at: .zero) }
    }

    /// Runs until `end` (virtual time); a later call goes on from there.
    mutating func run(until end: Duration) {
        while now < end {
            onTick?(now, &server)
            // Answers due now.
            var answered = false
            for index in callers.indices {
                if case .inFlight(let permit, let response, let arrives) = callers[index], arrives <= now {
                    _ = machine.complete(permit, response: response, now: now)
                    log.append((now, response.status, response.headers.scope == "shared"))
                    if response.status == 429 { limitedPermits.append((now, permit, response.bodyRetryAfter)) }
                    callers[index] = .ready(at: now + thinkTime)
                    answered = true
                }
            }
            if answered {
                for index in callers.indices { if case .parked = callers[index] { callers[index] = .ready(at: now) } }
            }
            // Callers whose turn has come.
            for index in callers.indices {
                guard case .ready(let at) = callers[index], at <= now else { continue }
                let route = RouteKey(method: "GET", template: template, major: majors[index])
                switch machine.acquire(route, now: now) {
                case .send(let permit):
                    sent += 1
                    // The server decides at arrival (half the latency); the answer comes back a latency later.
                    let response = server.answer(major: majors[index], now: now + latency * decidedAt)
                    callers[index] = .inFlight(permit, response, arrives: now + latency + answerDelay(sent))
                case .wait(let until):
                    callers[index] = .ready(at: until)
                case .waitForResponse:
                    callers[index] = .parked
                case .refuse:
                    callers[index] = .ready(at: .seconds(1_000_000))
                }
            }
            // Next instant: the earliest answer or wake-up (a wake-up at or before now moves on by a tick).
            var next = end
            for index in callers.indices {
                switch callers[index] {
                case .ready(let at):
                    let due = at > now ? at : now + .milliseconds(1)
                    callers[index] = .ready(at: due)
                    next = min(next, due)
                case .inFlight(_, _, let arrives): next = min(next, arrives)
                case .parked: break
                }
            }
            now = max(next, now + .microseconds(1))
        }
        var parked = 0
        var waiting: [Duration] = []
        var inFlight = 0
        for caller in callers {
            switch caller {
            case .parked: parked += 1
            case .ready(let at): waiting.append(at)
            case .inFlight: inFlight += 1
            }
        }
        lastStates = "parked=\(parked) inFlight=\(inFlight) waiting=\(waiting.sorted().prefix(3))"
    }

    /// The callers at the end of the last `run` (diagnostics).
    private(set) var lastStates = ""

    /// Forgets the recorded 429 permits.
    mutating func clearLimited() { limitedPermits.removeAll() }

    /// Requests and user 429s answered from `start` on.
    func counts(from start: Duration) -> (requests: Int, invalid: Int) {
        let after = log.filter { $0.at >= start }
        return (after.count, after.filter { $0.status == 429 && !$0.shared }.count)
    }
}
