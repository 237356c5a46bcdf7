/// The rate limiter's logic as a pure state machine: no clocks, no I/O. Time is a `Duration` since the
/// limiter started, passed in by the caller; every decision comes back as an action.
///
/// ```swift
/// var machine = RateLimitStateMachine()
/// switch machine.acquire(route, now: .zero) {
/// case .send(let permit): …                 // send, then report with `complete(permit, response:now:)`
/// case .wait(let until): …                  // sleep until `until`, then ask again
/// case .waitForResponse: …                  // ask again after any response arrives
/// case .waitForGlobalSlot: …                // parked: ask again once `takeGlobalTurns(now:)` names the caller
/// case .refuse(let refusal): …              // fail the request without sending it
/// }
/// ```
///
/// Rules (reference §2 "What a client must do"):
/// - A route template whose bucket hash is unknown sends one request at a time (across major values) until
///   headers arrive.
/// - A known hash on a new major value starts from the limit learned on another major value, so a new channel
///   on a known route does not wait for a serial first request.
/// - Up to `remaining` requests run at once; at 0 the caller waits for `Reset-After`.
/// - At most `globalLimit` sends per `globalWindow`, each holding its slot until `globalServerWindow` after its answer
///   (``GlobalWindow``); a global 429 pauses everything. A caller that gives a waiter id and is turned away by the global
///   limit is parked and woken only when a slot is its (``GlobalWaitQueue``, ``takeGlobalTurns(now:)``).
/// - 429s are information: `shared` backs off the resource without counting as invalid, an unexpected
///   `user` 429 (headers said there was room) marks the hash's headers untrustworthy: its counters then run on
///   the limit observed (admitted per window), raised by at most one request per window (``HashObservation``).
/// - Observation over headers: on a hash with several counters, sends beyond what one counter was ever seen to
///   get admitted in a window, or beyond what the route was seen to get admitted in `routeWindow` across
///   counters, go one at a time, so a lying header or an unannounced per-token limit costs one 429, not one per
///   request in flight (``RouteObservation``).
public struct RateLimitStateMachine: Sendable {
    /// Tunables.
    public struct Configuration: Sendable, Hashable {
        /// Sends allowed per `globalWindow` (Discord: 50 per second per token).
        public var globalLimit: Int = 50
        /// The global window after a send, including a small safety margin for network jitter.
        public var globalWindow: Duration = .milliseconds(1020)
        /// Discord's global window: an answered send holds its global slot this long after its answer (and one in
        /// flight holds it until then), so however late requests reach Discord, no window counts more than
        /// `globalLimit` (``GlobalWindow``).
        public var globalServerWindow: Duration = .seconds(1)
        /// The most the global window may widen beyond ``globalWindow`` for the lateness the client observes
        /// (round trips beyond the shortest, the `retry_after` of a global 429): a loaded machine or a slow network
        /// does not keep drawing global 429s (``GlobalJitter``).
        public var globalWindowMaximumMargin: Duration = .milliseconds(150)
        /// Invalid (401/403/non-shared 429) responses per `invalidRequestWindow` at which sending stops: half of
        /// the 10,000 that earn a Cloudflare ban.
        public var invalidRequestLimit: Int = 5000
        /// Above this fraction of the window's requests being invalid, the limiter halves its rates.
        public var invalidSlowdownRatio: Double = 0.01
        /// The ratio is judged once the window holds this many requests.
        public var invalidSlowdownMinimumRequests: Int = 500
        /// The rolling window for invalid responses (Discord: 10 minutes).
        public var invalidRequestWindow: Duration = .seconds(600)
        /// Two reset instants closer than this belong to the same window.
        public var sameWindowTolerance: Duration = .milliseconds(150)
        /// The window of an unannounced limit across the counters of one route (Discord's hidden limits are per
        /// second), with a margin for network jitter.
        public var routeWindow: Duration = .milliseconds(1100)
        /// The widest window over which a route's learned limit is spent (``routeWindow`` while no limit is learned,
        /// when the margin also absorbs a probe that straddles the server's window boundary). The learned limit is
        /// spread evenly over it, so a send that reaches the server early or late puts one request on the wrong side
        /// of its window, not a burst: 50 ms held every window in virtual time with sends up to 50 ms late
        /// (HostileLimitTests), where 100 ms gave away 9% of the limit. The margin in use follows the lateness the
        /// client observes, down to ``learnedRouteMinimumMargin``; this one also bounds where the route infers the
        /// server's windows to begin and end (`RouteObservation.boundaryMargin`).
        public var learnedRouteWindow: Duration = .milliseconds(1050)
        /// The least margin a learned route limit is spent with beyond ``routeNominalWindow`` when the round trips
        /// vary less (``learnedRouteWindow`` holds the most): a timer's slack on an idle machine.
        public var learnedRouteMinimumMargin: Duration = .milliseconds(20)
        /// How late a route's paced sends may fall behind their slots and still catch up (``learnedRouteWindow``):
        /// on a busy machine callers wake a few to tens of milliseconds after their slot, and without a tolerance
        /// every late wake-up lost its share of the limit (the simulator's hostile run spent 15 of 20 per second
        /// with sends 14 ms late on average; the window count still caps each window at the limit).
        public var learnedRoutePacingTolerance: Duration = .milliseconds(100)
        /// The nominal window of an unannounced limit across a route's counters (`routeWindow` without the margin):
        /// a 429's `retry_after` tells when that window ends, so this tells which earlier sends were in it.
        public var routeNominalWindow: Duration = .seconds(1)
        /// How far a 429's `retry_after` may lie from its bucket's `Reset-After` and still be that bucket's (both
        /// are one instant, rounded to milliseconds): further apart, the 429 is another limit's.
        public var retryAfterTolerance: Duration = .milliseconds(20)
        /// Whether a bucket's next window may be sent one round trip before its reset, so the requests reach Discord
        /// as the window resets, once the timing is proven on the bucket (``ResetTiming``). Never for the global
        /// limit, nor for a bucket whose headers were seen to lie.
        public var sendsTimedToReset = true
        /// Whether the global limit's slots go to counters whose window is already open before sends that would open
        /// a new window (``OpenWindowQueue``).
        public var openWindowsFirst = true
        /// How often a send that would open a window asks again while open windows of its route wait.
        public var openWindowPoll: Duration = .milliseconds(20)
        /// Whether a route's slots, once its learned limit binds, go to the waiting counter whose caller has the most
        /// work left (``RouteSlotQueue``, ``RequestPriority``), so the channels behind one hidden limit finish together.
        public var routeSlotsByWorkLeft = true
        /// How long a free route slot is held for a counter with more work left that is due to ask
        /// (``RouteSlotQueue/grace``): under the learned limit's spacing, within its pacing tolerance.
        public var routeSlotGrace: Duration = .milliseconds(25)
        /// Whether, while a route is still proving how much it admits across its counters (no limit across them
        /// learned), a send that would probe both its bucket and the route (beyond what any counter of the hash was
        /// seen to get admitted, at the route's frontier) leaves the slot for ``routeSlotGrace`` to a waiting counter
        /// with fewer sends in its window (``RouteSlotQueue``). The route proves one request at a time and its slots
        /// went to the callers whose answers had just arrived: two or three channels took every send, one reached its
        /// bucket's real limit (a lying header) after 6-9 proven (0.35-0.7 s), and the route, holding still after the
        /// lie and then growing one request per window, reached the hidden limit at 13-18 s (17 s on the simulator).
        /// Spread, the lie comes after 0.8-1.1 s with 13-16 proven and the route reaches 20 at 8-12 s.
        public var routeDiscoverySpread = true
        /// The lead's tunables (margin, samples, the least gain worth a proof).
        var resetTiming = ResetTiming.Configuration()
        /// Creates the default configuration.
        public init() {}
    }

    /// A granted send. Report its outcome exactly once with `complete` or `cancel`.
    public struct Permit: Hashable, Sendable {
        /// Unique per limiter.
        public let id: UInt64
        /// The route sent.
        public let route: RouteKey
        /// The counter it was charged to, or `nil` (bucket not known yet, or an unlimited route).
        public let bucket: BucketKey?
        /// Whether this is the single probe of a route whose bucket is unknown.
        public let isProbe: Bool
        /// When it was granted.
        public let sentAt: Duration
        /// Whether it goes beyond what its hash's counters were seen to get admitted per window (one at a time).
        public var isBucketProbe = false
        /// Whether it goes beyond what the route was seen to get admitted per route window (one at a time).
        public var isRouteProbe = false
        /// Whether it is the window's last slot sent one round trip before the reset, to prove the timing.
        public var isTimingProof = false
    }

    /// Why a request is refused without being sent.
    public enum Refusal: Hashable, Sendable {
        /// The invalid-request guard is full; `reopensAt` is when the oldest entry expires.
        case invalidRequestBudgetExhausted(count: Int, limit: Int, reopensAt: Duration?)
        /// An earlier request got 401: the token is bad, nothing more is sent.
        case tokenRejected
        /// The same route (or, after 50001 Missing Access, the whole channel) already returned 403.
        case knownForbidden
    }

    /// What the caller must do next.
    public enum AcquireAction: Hashable, Sendable {
        case send(Permit)
        case wait(until: Duration)
        case waitForResponse
        /// Parked until a global slot is the caller's (only when it gave a waiter id): ask again once
        /// ``RateLimitStateMachine/takeGlobalTurns(now:)`` names it (``GlobalWaitQueue``).
        case waitForGlobalSlot
        case refuse(Refusal)
    }

    /// When the callers parked for a global slot may next be woken.
    public enum GlobalWake: Hashable, Sendable {
        /// Nobody is parked.
        case none
        /// At this instant (a held slot frees, or a global 429's pause ends).
        case at(Duration)
        /// Once a send in flight is answered (every slot is held by one).
        case afterAnswer
    }

    /// The parked callers whose turn has come, and when the next ones' may.
    public struct GlobalTurns: Hashable, Sendable {
        /// The waiter ids to ask again now, in this order (taken out of the queue: one turned away again parks
        /// again). While any are due, ask them and take the turns again: ``next`` then says nothing.
        public var due: [UInt64]
        /// When to take the turns again, once none are due.
        public var next: GlobalWake
    }

    /// What a response meant for the limiter.
    public enum Verdict: Hashable, Sendable {
        /// Not a 429.
        case completed
        /// A 429: retry after `retryAfter` (the limiter already holds the affected requests back).
        /// `unexpected` is true when the limiter's accounting said there was room (a hidden limit).
        case rateLimited(scope: RateLimitScope, retryAfter: Duration, unexpected: Bool)
    }

    /// A response's facts as the limiter needs them.
    public struct Response: Sendable, Hashable {
        /// The status.
        public var status: Int
        /// The headers.
        public var headers: RateLimitHeaders
        /// `retry_after` from a 429 body (seconds, fractional).
        public var bodyRetryAfter: Double?
        /// `global` from a 429 body.
        public var bodyGlobal: Bool?
        /// Discord's error `code`, if the body had one.
        public var discordCode: Int?
        /// Whether the request carried the bot token. A 401 on a route authenticated by its URL (webhook
        /// execution) says nothing about the token and does not stop the limiter.
        public var carriedToken: Bool

        /// Creates a response description.
        public init(
            status: Int, headers: RateLimitHeaders = .init(), bodyRetryAfter: Double? = nil,
            bodyGlobal: Bool? = nil, discordCode: Int? = nil, carriedToken: Bool = true
        ) {
            self.carriedToken = carriedToken
            self.status = status
            self.headers = headers
            self.bodyRetryAfter = bodyRetryAfter
            self.bodyGlobal = bodyGlobal
            self.discordCode = discordCode
        }
    }

    private enum Mapping: Hashable, Sendable {
        case hash(String)
        case unlimited
    }

    /// The configuration.
    public let configuration: Configuration
    private var mappings: [String: Mapping] = [:]
    private var learnedLimits: [String: Int] = [:]
    private var buckets: [BucketKey: BucketState] = [:]
    private var observations: [String: HashObservation] = [:]
    /// When each hash's next windows are sent (reactive, or timed to reach Discord at the reset).
    private var timings: [String: ResetTiming] = [:]
    private var probing: Set<RouteKey> = []
    /// Templates with a probe out while their bucket is unknown: one request per template, across major values.
    private var probingTemplates: Set<String> = []
    private var global: GlobalWindow
    /// Counters with a window open that the global limit turned away: their sends go before new windows'.
    private var openWindows = OpenWindowQueue()
    /// Callers the global limit turned away, parked until a slot is theirs.
    private var globalQueue = GlobalWaitQueue()
    /// Counters held back by a route's learned limit, with their callers' work left: the most goes first.
    private var routeSlots: RouteSlotQueue
    /// Counters held back while their route is still proving how much it admits, with their window's sends: the
    /// fewest goes first.
    private var discoverySlots: RouteSlotQueue
    /// The global window at half the rate, used while invalid responses exceed the slowdown ratio.
    private var slowGlobal: GlobalWindow
    /// The lateness the global windows widen by.
    private var jitter: GlobalJitter
    /// Whether the last acquire ran at half rate.
    private(set) var slowed = false
    /// Whether one more invalid request would still keep the last 10 minutes at or below 1 per 100 requests. A
    /// learned limit grows (a probe that may draw a 429) only then: the discovery of a hidden limit costs one 429,
    /// growing past it is paid from the budget the requests since have earned.
    private var canAffordProbe = false
    /// Invalid responses counted since the machine started.
    public private(set) var invalidTotal = 0
    private var globalPausedUntil: Duration?
    private var invalid: InvalidRequestGuard
    private var tokenRejected = false
    private var forbiddenRoutes: Set<RouteKey> = []
    private var forbiddenMajors: Set<String> = []
    private var nextID: UInt64 = 0

    /// Creates a machine with no knowledge of any bucket.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        self.global = GlobalWindow(
            limit: configuration.globalLimit, window: configuration.globalWindow,
            serverWindow: configuration.globalServerWindow)
        self.slowGlobal = GlobalWindow(
            limit: max(1, configuration.globalLimit / 2), window: configuration.globalWindow,
            serverWindow: configuration.globalServerWindow)
        self.jitter = GlobalJitter(maximum: configuration.globalWindowMaximumMargin)
        self.routeSlots = RouteSlotQueue(grace: configuration.routeSlotGrace)
        self.discoverySlots = RouteSlotQueue(grace: configuration.routeSlotGrace)
        self.invalid = InvalidRequestGuard(
            limit: configuration.invalidRequestLimit, window: configuration.invalidRequestWindow,
            slowdownRatio: configuration.invalidSlowdownRatio,
            slowdownMinimumRequests: configuration.invalidSlowdownMinimumRequests)
    }

    // MARK: - Acquire

    /// Decides whether `route` may be sent at `now`. `workLeft` is the caller's estimate of the requests it still has
    /// to send on the route (``RequestPriority``): when a learned route limit binds, the most goes first. A caller
    /// that gives a `waiter` id (unique per caller, increasing in arrival order, the same when it asks again) is
    /// parked when the global limit turns it away (``AcquireAction/waitForGlobalSlot``) instead of told an instant.
    public mutating func acquire(
        _ route: RouteKey, now: Duration, workLeft: Int? = nil, waiter: UInt64? = nil
    ) -> AcquireAction {
        if tokenRejected { return .refuse(.tokenRejected) }
        if forbiddenRoutes.contains(route) || (!route.major.isEmpty && forbiddenMajors.contains(route.major)) {
            return .refuse(.knownForbidden)
        }
        if invalid.isExhausted(now: now) {
            return .refuse(
                .invalidRequestBudgetExhausted(
                    count: invalid.count(now: now), limit: invalid.limit, reopensAt: invalid.reopens()))
        }
        if let paused = globalPausedUntil {
            if now < paused { return .wait(until: paused) }
            globalPausedUntil = nil
        }
        // Too many invalid responses for the requests sent: every rate is halved until the ratio recovers.
        slowed = invalid.isSlowed(now: now)
        canAffordProbe = (invalid.count(now: now) + 1) * 100 <= invalid.requestCount(now: now)

        // Per-route decision, without committing anything yet.
        var bucketKey: BucketKey?
        var isProbe = false
        var bucketProbe = false
        var routeProbe = false
        var timingProof = false
        // Whether this send would open its counter's window (nothing sent in it yet), or goes into a window already
        // open (the global limit's slots go to those first, see ``OpenWindowQueue``).
        var opensWindow = false
        var holdsOpenWindow = false
        switch mappings[route.templateKey] {
        case nil:
            // Nothing known yet, not even whether several channels share a limit: one request per template.
            if probingTemplates.contains(route.templateKey) { return .waitForResponse }
            isProbe = true
        case .unlimited:
            break
        case .hash(let hash):
            // This exact route's probe is still out: its response decides the counter.
            if probing.contains(route) { return .waitForResponse }
            let key = BucketKey(hash: hash, major: route.major)
            var observation = observations[hash] ?? newObservation()
            observation.majors.insert(route.major)
            var state = buckets[key] ?? seededBucket(hash: hash)
            var timing = timingIfEligible(hash: hash, observation: observation)
            let lead = timing?.lead(window: observation.window) ?? .zero
            state.refill(now: now, lead: lead)
            let decision = decide(&state, &observation, timing: &timing, lead: lead, now: now)
            buckets[key] = state
            observations[hash] = observation
            if let timing { timings[hash] = timing }
            switch decision {
            case .proceed(let bucket, let routeWide, let proof):
                // A free slot of a binding route limit: left for a moment to a counter with more work left that is
                // due to ask (the channels behind one hidden limit finish together).
                if let workLeft, slotsByWorkLeft(observation),
                    let until = routeSlots.yieldsUntil(key, priority: workLeft, now: now)
                {
                    routeSlots.heldBack(key, priority: workLeft, asksAt: until)
                    return .wait(until: until)
                }
                // While the route proves what it admits, a probe of the bucket and the route at once is left for a
                // moment to a counter with fewer sends in its window: no channel runs ahead into its own bucket's limit
                // while the route grows.
                if bucket, routeWide, spreadsDiscovery(observation),
                    let until = discoverySlots.yieldsUntil(key, priority: -state.windowSends, now: now)
                {
                    discoverySlots.heldBack(key, priority: -state.windowSends, asksAt: until)
                    return .wait(until: until)
                }
                bucketProbe = bucket
                routeProbe = routeWide
                timingProof = proof
            case .wait(let action):
                return action
            case .routeWait(let action):
                // Only while the route is still proving how much it admits (start-up, headers believed): a learned
                // route limit is spent evenly over its window, and holding new windows back for it spent it worse.
                if Self.isOpen(state, now: now), observation.trusted, observation.route.limit == nil {
                    openWindows.turnedAway(key, byRoute: true, now: now)
                }
                if let workLeft, slotsByWorkLeft(observation), case .wait(let until) = action {
                    routeSlots.heldBack(key, priority: workLeft, asksAt: until)
                }
                if spreadsDiscovery(observation) {
                    switch action {
                    case .wait(let until): discoverySlots.heldBack(key, priority: -state.windowSends, asksAt: until)
                    case .waitForResponse: discoverySlots.heldBackUntilAnswer(key, priority: -state.windowSends)
                    default: break
                    }
                }
                return action
            }
            bucketKey = key
            opensWindow = state.windowSends == 0
            holdsOpenWindow = Self.isOpen(state, now: now)
        }

        let window = configuration.globalWindow + jitter.margin(now: now)
        global.window = window
        slowGlobal.window = window
        // The slowed window is asked only when the global one lets the send go (no array of the two per acquire).
        var globalOpening = global.opening(now: now)
        if slowed, globalOpening == .now { globalOpening = slowGlobal.opening(now: now) }
        switch globalOpening {
        case .now: break
        case .at(let opens):
            if holdsOpenWindow, let key = bucketKey { openWindows.turnedAway(key, byRoute: false, now: now) }
            if let waiter {
                globalQueue.park(waiter, bucket: bucketKey, reason: .noFreeSlot)
                return .waitForGlobalSlot
            }
            return .wait(until: opens)
        case .afterAnswer:
            if holdsOpenWindow, let key = bucketKey { openWindows.turnedAway(key, byRoute: false, now: now) }
            if let waiter {
                globalQueue.park(waiter, bucket: bucketKey, reason: .noFreeSlot)
                return .waitForGlobalSlot
            }
            return .waitForResponse
        }
        // A window already open gets the global limit's next slots before a send that would open another: a window
        // held open waiting for the global limit expires half used, and its channel needs one more window.
        if opensWindow, configuration.openWindowsFirst, let key = bucketKey {
            openWindows.prune(now: now, window: window) { buckets[$0].map { Self.isOpen($0, now: now) } ?? false }
            if openWindows.count > 0 {
                if global.free(now: now) <= openWindows.count {
                    if let waiter {
                        globalQueue.park(waiter, bucket: key, reason: .slotsKeptForOpenWindows)
                        return .waitForGlobalSlot
                    }
                    guard let opens = global.opening(freeing: openWindows.count + 1, now: now) else {
                        return .waitForResponse
                    }
                    return .wait(until: opens)
                }
                // Windows of the same route held back by its route-wide caution: they take its next slots.
                if openWindows.heldByRoute(hash: key.hash) {
                    return .wait(until: now + configuration.openWindowPoll)
                }
            }
        }

        // Commit.
        global.record(id: nextID &+ 1, now: now)
        slowGlobal.record(id: nextID &+ 1, now: now)
        invalid.recordRequest(now: now)
        if isProbe {
            probing.insert(route)
            probingTemplates.insert(route.templateKey)
        }
        nextID &+= 1
        if let key = bucketKey {
            openWindows.sent(key)
            routeSlots.sent(key)
            discoverySlots.sent(key)
            buckets[key]!.remaining -= 1
            buckets[key]!.inFlightIDs.append(nextID)
            buckets[key]!.windowSends += 1
            buckets[key]!.lastSentAt = now
            let window = routeWindow(observations[key.hash]!.route, now: now)
            observations[key.hash]!.route.recordSend(
                id: nextID, now: now, window: window, tolerance: configuration.learnedRoutePacingTolerance)
            if bucketProbe { observations[key.hash]!.probeInFlight = true }
            if timingProof, let reset = buckets[key]!.resetAt { timings[key.hash]?.proofSent(id: nextID, reset: reset) }
            if routeProbe {
                observations[key.hash]!.route.probeInFlight = true
                observations[key.hash]!.route.lastProbeAt = now
            }
        }
        var permit = Permit(id: nextID, route: route, bucket: bucketKey, isProbe: isProbe, sentAt: now)
        permit.isBucketProbe = bucketProbe
        permit.isRouteProbe = routeProbe
        permit.isTimingProof = timingProof
        return .send(permit)
    }

    /// The parked callers whose turn has come at `now`: as many as the global limit has free slots (none during a
    /// global 429's pause), those whose counter has a window open first, then in arrival order. Ask each again at
    /// once, in order, then take the turns again until none are due; then wake the rest at ``GlobalTurns/next``, or
    /// at the next answer. Take them after every answer, cancel or timer of the global queue: a slot that frees at
    /// an answer (one the server never counted) is given out then.
    public mutating func takeGlobalTurns(now: Duration) -> GlobalTurns {
        guard globalQueue.count > 0 else { return GlobalTurns(due: [], next: .none) }
        if let paused = globalPausedUntil, now < paused { return GlobalTurns(due: [], next: .at(paused)) }
        // The slots a send may take now, as `acquire` reckons them: both windows while rates are halved, and for a
        // send that would open a window, only those beyond the open windows' (``OpenWindowQueue``).
        let halved = invalid.isSlowed(now: now)
        let globalFree = global.free(now: now)
        let free = halved ? min(globalFree, slowGlobal.free(now: now)) : globalFree
        var reserved = 0
        if configuration.openWindowsFirst, globalQueue.hasWaiters(.slotsKeptForOpenWindows) {
            let window = configuration.globalWindow + jitter.margin(now: now)
            openWindows.prune(now: now, window: window) { buckets[$0].map { Self.isOpen($0, now: now) } ?? false }
            reserved = openWindows.count
        }
        let unreserved = reserved > 0 ? min(free, globalFree - reserved) : free
        let due = globalQueue.take(free: free, unreserved: unreserved) { key in
            buckets[key].map { Self.isOpen($0, now: now) } ?? false
        }
        if !due.isEmpty { return GlobalTurns(due: due, next: .none) }
        // Nobody's turn: the next comes when a slot frees (every one held), or when enough free for a send beyond
        // the open windows' (only callers waiting for that are parked).
        var next = Self.wake(global.opening(freeing: free == 0 ? 1 : reserved + 1, now: now), now: now)
        if halved, case .at(let instant) = next {
            switch Self.wake(slowGlobal.opening(freeing: 1, now: now), now: now) {
            case .at(let slowInstant): next = .at(max(instant, slowInstant))
            default: next = .afterAnswer
            }
        }
        // More windows open than the limit has slots: the open windows' claims lapse with time, not with slots.
        if case .at(let instant) = next, instant <= now { next = .at(now + configuration.openWindowPoll) }
        return GlobalTurns(due: [], next: next)
    }

    /// When parked callers are next woken for a global window's opening (`nil`: after an answer).
    private static func wake(_ opening: Duration?, now: Duration) -> GlobalWake {
        opening.map { .at(max($0, now)) } ?? .afterAnswer
    }

    /// A parked caller stops waiting (cancelled): it leaves the global queue.
    public mutating func withdraw(waiter: UInt64) { globalQueue.remove(waiter) }

    /// Whether `waiter` is parked for a global slot.
    public func isParked(waiter: UInt64) -> Bool { globalQueue.contains(waiter) }

    /// The waiter ids parked for a global slot, in arrival order (tests, diagnostics).
    public var globalWaiters: [UInt64] { globalQueue.waiters }

    private enum CounterDecision {
        case proceed(bucketProbe: Bool, routeProbe: Bool, timingProof: Bool)
        case wait(AcquireAction)
        /// Held back by the route-wide caution across the hash's counters, not by the counter's own window.
        case routeWait(AcquireAction)
    }

    /// The hash's send timing, when its windows may be timed at all: enabled, headers believed, no limit learned
    /// from observation (on the hash or across its route), rates not halved. The global limit is never timed.
    private func timingIfEligible(hash: String, observation: HashObservation) -> ResetTiming? {
        guard configuration.sendsTimedToReset, observation.trusted, observation.ceiling == nil,
            observation.route.limit == nil, !slowed
        else { return nil }
        return timings[hash] ?? ResetTiming(configuration: configuration.resetTiming)
    }

    /// The decision for one known counter: its own window, the learned limit of its hash, and the route-wide
    /// caution across the hash's counters. Mutates only bookkeeping (refills, increases, pruning).
    private func decide(
        _ state: inout BucketState, _ observation: inout HashObservation, timing: inout ResetTiming?, lead: Duration,
        now: Duration
    ) -> CounterDecision {
        // The learned limit of an untrusted hash binds on this counter: one more per window when due.
        if let ceiling = observation.ceiling, state.admitted + state.inFlight >= ceiling, canAffordProbe {
            observation.increaseIfDue(now: now, announced: state.limit)
        }
        state.cap = observation.ceiling
        // Untrusted headers say nothing about where the server's window starts: spread the learned limit evenly
        // over the window, so the counters of a route together never burst into an unannounced limit.
        // Once the route's own limit is learned, the route spends it evenly across the counters: pacing each counter
        // too would hold a channel's few pages (or its retry after a fault) seconds apart for no limit's sake.
        if let ceiling = observation.ceiling, let last = state.lastSentAt, observation.route.limit == nil {
            let spacing = (observation.window + configuration.sameWindowTolerance) / max(1, ceiling)
            if now < last + spacing { return .wait(.wait(until: last + spacing)) }
        }
        var allowed = state.remaining
        if let ceiling = observation.ceiling { allowed = min(allowed, ceiling - state.admitted - state.inFlight) }
        if slowed { allowed = min(allowed, max(1, state.ceiling / 2) - state.admitted - state.inFlight) }
        if allowed <= 0 {
            if let reset = state.resetAt { return .wait(.wait(until: reset - lead)) }
            if state.inFlight > 0 { return .wait(.waitForResponse) }
            state.remaining = 1  // No information and nothing in flight: probe with one request.
        }
        // The proof of a timed reset: the window's last slot goes out one round trip before the reset. Right, it
        // lands in the next window; wrong (Discord resets later than it said), in this window's free slot.
        // A window just refilled does not know its reset yet: the last slot waits for the first answer to tell it.
        var timingProof = false
        if allowed == 1, state.ceiling >= 2, state.resetAt != nil || state.inFlight > 0,
            timing?.wantsProof(now: now, window: observation.window) == true,
            let proofLead = timing?.candidateLead(window: observation.window)
        {
            guard let reset = state.resetAt else { return .wait(.waitForResponse) }
            if now < reset - proofLead { return .wait(.wait(until: reset - proofLead)) }
            timingProof = true
        }
        // Beyond what any counter of the hash was seen to get admitted in one window: one at a time.
        var bucketProbe = false
        if observation.isShared || !observation.trusted, state.admitted + state.inFlight >= observation.verified {
            if observation.probeInFlight { return .wait(.waitForResponse) }
            bucketProbe = true
        }
        var routeProbe = false
        if observation.isShared {
            let window = routeWindow(observation.route, now: now)
            observation.route.prune(now: now, window: window)
            if let paused = observation.route.pausedUntil {
                if now < paused { return .routeWait(.wait(until: paused)) }
                observation.route.pausedUntil = nil
            }
            // A learned route limit is spent evenly over its window, one send at a time.
            if let paced = observation.route.nextPacedSend(), now < paced {
                return .routeWait(.wait(until: paced))
            }
            let sendsInWindow = observation.route.sendsInWindow(now: now, window: window)
            if let limit = observation.route.limit, sendsInWindow >= limit {
                if canAffordProbe { observation.route.increaseIfDue(now: now, window: window) }
                if sendsInWindow >= observation.route.limit!,
                    let opens = observation.route.nextOpening(now: now, window: window)
                {
                    return .routeWait(.wait(until: opens))
                }
            }
            if observation.route.load(now: now, window: window) >= observation.route.verified {
                if observation.route.probeInFlight { return .routeWait(.waitForResponse) }
                // Headers that lied about one limit may hide another: for a window after a 429 the headers did not
                // announce, the route does not grow beyond what it was seen to admit.
                if let hold = observation.route.probeHoldUntil, now < hold { return .routeWait(.wait(until: hold)) }
                // And until the route's own limit is known, it grows by at most one request per window.
                if !observation.trusted, observation.route.limit == nil, let last = observation.route.lastProbeAt,
                    now < last + window
                {
                    return .routeWait(.wait(until: last + window))
                }
                routeProbe = true
            }
        }
        return .proceed(bucketProbe: bucketProbe, routeProbe: routeProbe, timingProof: timingProof)
    }

    /// Whether the route of `observation`'s hash gives its slots to the counters with the fewest sends in their window:
    /// it is still proving how much it admits across its counters.
    private func spreadsDiscovery(_ observation: HashObservation) -> Bool {
        configuration.routeDiscoverySpread && observation.isShared && observation.route.limit == nil
    }

    /// Whether the route of `observation`'s hash gives its slots by work left: a limit across its counters learned.
    private func slotsByWorkLeft(_ observation: HashObservation) -> Bool {
        configuration.routeSlotsByWorkLeft && observation.isShared && observation.route.limit != nil
    }

    /// The window a route's sends are counted in: with a margin that absorbs a probe across the server's window
    /// boundary while the route's limit is unknown, a narrower one to spend a learned limit: the nominal window and
    /// the lateness the client observes (``GlobalJitter``: round trips beyond the shortest), at least
    /// ``Configuration/learnedRouteMinimumMargin``, at most ``Configuration/learnedRouteWindow``'s margin. The margin
    /// is what keeps one window's first request and the next one's apart at the server when the first reached it
    /// late: a busy machine needs all of it, an idle one spent 1/21 of the limit on it for nothing.
    private func routeWindow(_ route: RouteObservation, now: Duration) -> Duration {
        guard route.limit != nil else { return configuration.routeWindow }
        return configuration.routeNominalWindow + routeMargin(route, now: now)
    }

    /// The margin of ``routeWindow(_:now:)`` once the route's limit is learned: the lateness the client observes
    /// (round trips, and the route's own 429s within its proven count), within the configured bounds. The round trips'
    /// estimate (the second largest of 32) is widened by a quarter: it is not the largest, and a request later than
    /// the margin relative to its window's first is a 429 (with sends up to 50 ms late, a margin of 48 ms drew two
    /// more than 50 ms in virtual time).
    private func routeMargin(_ route: RouteObservation, now: Duration) -> Duration {
        let widest = max(.zero, configuration.learnedRouteWindow - configuration.routeNominalWindow)
        let observed = max(jitter.margin(now: now) * 5 / 4, route.marginFloor(now: now))
        return min(widest, max(configuration.learnedRouteMinimumMargin, observed))
    }

    /// Whether a counter's window is open with room left: requests of it sent, more allowed, not yet reset.
    private static func isOpen(_ state: BucketState, now: Duration) -> Bool {
        state.ceiling >= 2 && state.windowSends > 0 && state.windowSends < state.ceiling
            && state.resetAt.map { now < $0 } ?? true
    }

    /// A hash never observed: its route follows the server's windows of the configured length and margin.
    private func newObservation() -> HashObservation {
        var observation = HashObservation()
        observation.route.serverWindow = configuration.routeNominalWindow
        observation.route.boundaryMargin = max(
            .zero, configuration.learnedRouteWindow - configuration.routeNominalWindow)
        return observation
    }

    private func seededBucket(hash: String) -> BucketState {
        // A counter we never used: Discord starts it full. Until a limit is known, allow a single request.
        let limit = learnedLimits[hash] ?? 1
        return BucketState(limit: limit, remaining: limit, resetAt: nil)
    }

    // MARK: - Completion

    /// Reports that a request got no response (connection error, timeout): frees its slot.
    public mutating func cancel(_ permit: Permit, now: Duration) {
        release(permit)
        discoverySlots.answered(now: now)
        // Discord may have counted it, at any instant until now.
        global.answered(id: permit.id, now: now)
        slowGlobal.answered(id: permit.id, now: now)
        if permit.isTimingProof, let hash = permit.bucket?.hash { timings[hash]?.proofCancelled(id: permit.id) }
    }

    /// Reports that a request was answered before any rate limit counted it: a 5xx without rate-limit headers, or
    /// an answer cut off after headers without them (reference: injected 5xx responses do not touch buckets). Frees
    /// its slot and gives it back to its counter's window and to its route's.
    public mutating func cancelUncounted(_ permit: Permit, now: Duration) {
        release(permit)
        discoverySlots.answered(now: now)
        global.uncounted(id: permit.id)
        slowGlobal.uncounted(id: permit.id)
        uncount(permit)
        if permit.isTimingProof, let hash = permit.bucket?.hash { timings[hash]?.proofCancelled(id: permit.id) }
    }

    /// Gives a send the server never counted back to its counter's window and its route's.
    private mutating func uncount(_ permit: Permit) {
        guard let key = permit.bucket else { return }
        observations[key.hash]?.route.forget(id: permit.id)
        guard var state = buckets[key] else { return }
        // Charged to the current window (sent since its refill, or carried into it): the window has one more slot.
        let carried = state.carriedIDs.remove(permit.id) != nil
        if carried || state.refilledAt.map({ permit.sentAt >= $0 }) ?? true, state.windowSends > 0 {
            state.windowSends -= 1
            state.remaining = max(0, min(state.remaining + 1, state.ceiling - state.windowSends))
        }
        buckets[key] = state
    }

    /// Reports a response and learns from its headers.
    public mutating func complete(_ permit: Permit, response: Response, now: Duration) -> Verdict {
        release(permit)
        // The callers waiting for an answer ask again now (the limiter wakes them).
        discoverySlots.answered(now: now)
        let headers = response.headers
        let route = permit.route
        jitter.recordRoundTrip(now - permit.sentAt, route: route.templateKey)
        // A 5xx that names no bucket came from before the limits (a proxy, an injected fault): nothing was counted.
        if response.status >= 500, headers.bucket == nil {
            global.uncounted(id: permit.id)
            slowGlobal.uncounted(id: permit.id)
            uncount(permit)
            if permit.isTimingProof, let hash = permit.bucket?.hash { timings[hash]?.proofCancelled(id: permit.id) }
            return .completed
        }

        global.answered(id: permit.id, now: now)
        slowGlobal.answered(id: permit.id, now: now)
        switch response.status {
        case 401:
            if response.carriedToken { tokenRejected = true }
            recordInvalid(now: now)
        case 403:
            recordInvalid(now: now)
            forbiddenRoutes.insert(route)
            if response.discordCode == 50001, route.major.hasPrefix("channel:") {
                forbiddenMajors.insert(route.major)
            }
        default:
            break
        }

        // Learn the bucket, if the response names it. One that counts its window (`Remaining`, `Reset-After`) but
        // names no bucket (every header is optional, reference §2) is its route's own bucket, per major value, until
        // a response names one: before, such a route was taken for an unlimited one and its windows overrun.
        var key: BucketKey? = permit.bucket
        if let hash = headers.bucket ?? Self.unnamedBucket(of: route, headers: headers) {
            mappings[route.templateKey] = .hash(hash)
            key = BucketKey(hash: hash, major: route.major)
            if let limit = headers.limit, limit > 0 { learnedLimits[hash] = limit }
            var window = WindowMatch.sameWindow
            if let remaining = headers.remaining, let resetAfter = headers.resetAfter {
                if observations[hash] == nil { observations[hash] = newObservation() }
                observations[hash]!.majors.insert(route.major)
                observations[hash]!.window = max(observations[hash]!.window, Duration.seconds(resetAfter))
                window = learn(
                    key: key!, limit: headers.limit, remaining: remaining, answering: permit.id, sentAt: permit.sentAt,
                    earliestReset: permit.sentAt + .seconds(resetAfter),
                    resetAt: now + .seconds(resetAfter), chargedHere: permit.bucket == key,
                    windowLength: observations[hash]!.window)
            }
            // Observation: what the server admitted (a 429 or a 5xx was not admitted).
            if response.status != 429, response.status < 500, let key {
                var state = buckets[key] ?? seededBucket(hash: key.hash)
                if window != .older { state.answered += 1 }
                // The server's own count of the window (`limit - remaining`, true even when both are inflated by
                // the same amount) is a floor: a reordered or late answer must not make the count look smaller.
                if window != .older, let limit = headers.limit, let remaining = headers.remaining {
                    state.serverCount = max(state.serverCount, limit - remaining)
                }
                buckets[key] = state
                var observation = observations[hash] ?? newObservation()
                observation.admitted(state.admitted)
                if permit.bucket == nil {
                    // The request that taught the hash was sent before the route was known: count it now.
                    observation.route.recordDiscovery(
                        id: permit.id, at: permit.sentAt, admitted: true, window: configuration.routeWindow)
                } else {
                    observation.route.recordAnswer(id: permit.id, admitted: true)
                }
                observations[hash] = observation
            }
        } else if (200..<300).contains(response.status), mappings[route.templateKey] == nil {
            mappings[route.templateKey] = .unlimited
        }

        // The send timing learns the hash's round trips (of requests charged to a counter: the one that taught the
        // hash may have waited for a connection), and whether its proof landed in the window after the one it was
        // timed to: its answer's reset lies a window later (the old window's lies where the proof was timed to).
        if let hash = key?.hash, permit.bucket != nil {
            let window = observations[hash]?.window ?? .seconds(1)
            if (200..<300).contains(response.status) {
                timings[hash, default: ResetTiming(configuration: configuration.resetTiming)].recordRoundTrip(
                    now - permit.sentAt)
            }
            if permit.isTimingProof {
                var landed = false
                if (200..<300).contains(response.status), let resetAfter = headers.resetAfter,
                    let proof = timings[hash]?.proof, proof.id == permit.id
                {
                    landed = now + .seconds(resetAfter) > proof.reset + window / 2
                }
                timings[hash]?.proofAnswered(id: permit.id, landedInNextWindow: landed, now: now, window: window)
            }
        }

        guard response.status == 429 else { return .completed }
        // Refused: a send the route's window does not count as admitted.
        if let hash = permit.bucket?.hash ?? key?.hash {
            observations[hash]?.route.recordAnswer(id: permit.id, admitted: false)
        }

        let seconds = response.bodyRetryAfter ?? headers.retryAfter ?? 1
        let retryAfter = Duration.seconds(max(0, seconds))
        let isGlobal = headers.isGlobal || response.bodyGlobal == true || headers.scope == "global"
        let scope: RateLimitScope = isGlobal ? .global : (headers.scope == "shared" ? .shared : .user)
        switch scope {
        case .global:
            recordInvalid(now: now)
            // Refused before any route's limit counted it (Discord checks the global limit first): its counter's
            // window has the slot still. Kept, the window ended one short, and the retry opened the next window (a
            // wide channel's 11th of 5 s).
            uncount(permit)
            // The window let this send through: it reached Discord `retry_after` before the window it fell in ended.
            jitter.recordGlobalLimited(retryAfter: retryAfter, now: now)
            let until = now + retryAfter
            globalPausedUntil = max(globalPausedUntil ?? until, until)
            return .rateLimited(scope: .global, retryAfter: retryAfter, unexpected: false)
        case .shared, .user:
            if scope == .user { recordInvalid(now: now) }
            // A 429 the client drew: timed sends on this hash go back to the reset as seen, with a wider margin.
            if scope == .user, let hash = key?.hash {
                timings[hash]?.rateLimited(now: now, window: observations[hash]?.window ?? .seconds(1))
            }
            // Our accounting let it through: for a known counter that means Discord has a limit we did not
            // see (discord-api-docs #8161). Learn it from observation instead of failing.
            // A 429 with none of its bucket's headers (the body and `Retry-After` alone, which the reference
            // allows) was not the counter's: it is waited out and teaches the counter nothing. Before, each such 429
            // lowered the learned limit of the whole hash (a docs-only fake's 13 header-less 429s among 216
            // requests paced reactions to one a second: 57.7 s instead of 4.5).
            let describesWindow = headers.bucket != nil || headers.remaining != nil || headers.resetAfter != nil
            let unexpected =
                scope == .user && describesWindow && (permit.bucket != nil || (headers.remaining ?? 0) > 0)
            if let key {
                var blameRoute = false
                if unexpected {
                    var observation = observations[key.hash] ?? newObservation()
                    blameRoute = Self.blamesRoute(
                        permit, observation: observation, retryAfter: retryAfter, headers: headers,
                        preciseRetryAfter: response.bodyRetryAfter != nil, configuration: configuration)
                    if blameRoute {
                        let margin = routeMargin(observation.route, now: now)
                        observation.route.limited(
                            id: permit.id, sentAt: permit.sentAt, now: now, window: configuration.routeWindow,
                            nominalWindow: configuration.routeNominalWindow, retryAfter: retryAfter, margin: margin)
                        observation.routeLimited(now: now)
                    } else {
                        let state = buckets[key] ?? seededBucket(hash: key.hash)
                        // Requests still unanswered were most likely admitted too, if they were sent before this
                        // one; the server's count of the window (`limit - remaining`) says how many really were.
                        var seen = state.admitted + state.inFlight
                        if let limit = headers.limit, let remaining = headers.remaining, remaining < limit {
                            seen = min(seen, max(state.admitted, limit - remaining))
                        }
                        observation.bucketLimited(admitted: seen, probing: permit.isBucketProbe, now: now)
                    }
                    if !blameRoute, observation.route.limit == nil {
                        observation.route.probeHoldUntil = now + configuration.routeWindow
                    }
                    observations[key.hash] = observation
                }
                if !blameRoute {
                    var state = buckets[key] ?? seededBucket(hash: key.hash)
                    state.remaining = 0
                    let until = now + retryAfter
                    state.resetAt = max(state.resetAt ?? until, until)
                    state.cap = observations[key.hash]?.ceiling
                    buckets[key] = state
                }
            } else {
                // Nothing to key it on (no headers, unknown route): hold the route back via a pause entry.
                let pauseKey = BucketKey(hash: "unknown:\(route.templateKey)", major: route.major)
                mappings[route.templateKey] = .hash(pauseKey.hash)
                buckets[pauseKey] = BucketState(limit: 1, remaining: 0, resetAt: now + retryAfter)
            }
            return .rateLimited(scope: scope, retryAfter: retryAfter, unexpected: unexpected)
        }
    }

    /// The bucket of a response that counts its window but names no `X-RateLimit-Bucket`: its route's own
    /// (`route:` and the method and template), or `nil` when it counts nothing.
    static func unnamedBucket(of route: RouteKey, headers: RateLimitHeaders) -> String? {
        guard headers.bucket == nil, headers.remaining != nil, headers.resetAfter != nil else { return nil }
        return "route:\(route.templateKey)"
    }

    /// Whether an unexpected `user` 429 comes from a limit across the route's counters rather than the
    /// counter's own bucket. A bucket's 429 waits for that bucket's reset: its `retry_after` (body) and
    /// `Reset-After` (header) are one instant, reckoned together. A `retry_after` that ends elsewhere is another
    /// limit's; one that ends with the bucket's reset is the route's only if it ends within the route's one-second
    /// window and the route had sent its learned limit in the window the 429 closes (a hidden window can end with a bucket's by chance, and a 429 taken for the bucket's
    /// would teach every counter of the hash the few requests this one had sent). Without a precise `retry_after`
    /// (only the rounded `Retry-After` header), a limit ending well before the reset is not the bucket's; without a
    /// reset to compare, the probe that went beyond only one of the two tells.
    static func blamesRoute(
        _ permit: Permit, observation: HashObservation, retryAfter: Duration, headers: RateLimitHeaders,
        preciseRetryAfter: Bool = true, configuration: Configuration
    ) -> Bool {
        guard observation.isShared else { return false }
        guard let resetAfter = headers.resetAfter.map({ Duration.seconds($0) }) else {
            return permit.isRouteProbe && !permit.isBucketProbe
        }
        guard preciseRetryAfter else { return retryAfter + configuration.sameWindowTolerance < resetAfter }
        let gap = retryAfter > resetAfter ? retryAfter - resetAfter : resetAfter - retryAfter
        if gap > configuration.retryAfterTolerance { return true }
        // The route's window is a second long: a wait that ends with the bucket's reset further off than that is
        // the bucket's (a failed probe above its learned limit), however many sends the route had in its window.
        if retryAfter > configuration.routeNominalWindow + configuration.retryAfterTolerance { return false }
        guard let limit = observation.route.limit else { return false }
        let admitted = observation.route.admittedBefore(
            id: permit.id, sentAt: permit.sentAt, window: configuration.routeWindow,
            nominalWindow: configuration.routeNominalWindow, retryAfter: retryAfter)
        return admitted >= limit
    }

    private mutating func recordInvalid(now: Duration) {
        invalid.record(now: now)
        invalidTotal += 1
    }

    private mutating func release(_ permit: Permit) {
        if permit.isProbe {
            probing.remove(permit.route)
            probingTemplates.remove(permit.route.templateKey)
        }
        if let key = permit.bucket, var state = buckets[key] {
            if let index = state.inFlightIDs.firstIndex(of: permit.id) { state.inFlightIDs.remove(at: index) }
            buckets[key] = state
        }
        if let hash = permit.bucket?.hash, var observation = observations[hash] {
            if permit.isBucketProbe { observation.probeInFlight = false }
            if permit.isRouteProbe { observation.route.probeInFlight = false }
            observation.route.inFlight = max(0, observation.route.inFlight - 1)
            observations[hash] = observation
        }
    }

    /// Where an answer's window lies relative to the counter's current one.
    enum WindowMatch: Hashable, Sendable {
        case newWindow, sameWindow, older
    }

    /// Learns a counter's window from an answer's headers.
    ///
    /// Two answers of one server window can compute reset instants far apart: `resetAt` is the answer's arrival
    /// plus `Reset-After`, and arrival times vary with the network and with how busy the client is. A new server
    /// window starts no earlier than the old one's reset, so its reset lies a whole window later: anything
    /// closer than half a window (and at least ``Configuration/sameWindowTolerance``) is the same window.
    ///
    /// `Remaining` already counts the requests the server saw before the answered one (`answering`), in flight
    /// or not: only the requests the server has not counted yet are subtracted, as many as the window's sends
    /// exceed the server's count (`limit - remaining`), at most those in flight. Subtracting every request in
    /// flight lost one send per window for each one the answer had counted already.
    @discardableResult
    private mutating func learn(
        key: BucketKey, limit: Int?, remaining: Int, answering id: UInt64, sentAt: Duration, earliestReset: Duration,
        resetAt: Duration, chargedHere: Bool, windowLength: Duration
    ) -> WindowMatch {
        var state = buckets[key] ?? seededBucket(hash: key.hash)
        if let limit, limit > 0 { state.limit = limit }
        let counted = max(0, (limit ?? state.limit) - remaining)
        let carried = state.carriedIDs.remove(id) != nil
        let tolerance = max(configuration.sameWindowTolerance, windowLength / 2)
        var match = WindowMatch.sameWindow
        if let current = state.resetAt {
            // A later window's reset lies a window after this one's, and so does the earliest it can be by this
            // answer (`earliestReset`: the server counted the request no earlier than it was sent). An answer of
            // this window read late only looks later: its earliest lies at or before this window's reset.
            if resetAt > current + tolerance, earliestReset > current {
                match = .newWindow
            } else if resetAt + tolerance < current {
                match = .older  // a late answer from an older window
            }
        } else if let previous = state.previousResetAt {
            // Refilled at the reset: an answer whose reset lies near the old one belongs to the old window.
            match = resetAt <= previous + tolerance ? .older : .newWindow
        } else {
            match = .newWindow
        }
        switch match {
        case .older:
            // Charged to this window in case the server counted it here, it was counted in the one before.
            if carried, state.windowSends > 0 {
                state.windowSends -= 1
                state.remaining = min(state.remaining + 1, state.ceiling - state.windowSends)
            }
        case .newWindow where state.resetAt != nil || (state.previousResetAt == nil && !chargedHere):
            // News of a window the client has not begun counting: the requests in flight may all be in it.
            state.startWindow(serverCount: counted)
            state.remaining = min(max(0, remaining - state.inFlight), state.ceiling - state.windowSends)
            state.resetAt = resetAt
            state.answered = 0
            state.serverCount = 0
        case .newWindow, .sameWindow:
            // The window counted so far.
            let unseen = min(state.inFlight, max(0, state.windowSends - counted))
            state.remaining = min(state.remaining, remaining - unseen)
            // Every reset estimate of the window is at or after the server's reset (`Reset-After` is reckoned when
            // the server counts the request, the answer arrives later): the earliest is the closest, and a busy
            // client or a slow body only delays the others. That holds for answers known to be of this window or
            // later: requests sent once the client refilled the counter at the last reset, whose answer cannot be
            // mistaken for a late one of the window before (it was counted no earlier than `earliestReset`, a whole
            // window before this one's). Any other answer only ever moves the reset later.
            if let current = state.resetAt, let refilled = state.refilledAt, sentAt >= refilled,
                earliestReset + windowLength / 2 > current
            {
                state.resetAt = min(current, resetAt)
            } else {
                state.resetAt = state.resetAt.map { max($0, resetAt) } ?? resetAt
            }
        }
        state.remaining = max(0, state.remaining)
        buckets[key] = state
        return match
    }

    // MARK: - Introspection (tests, logs)

    /// The hash learned for a route template, if any.
    public func bucketHash(for route: RouteKey) -> String? {
        if case .hash(let hash) = mappings[route.templateKey] { return hash }
        return nil
    }

    /// Whether a route template is known to have no per-route limit.
    public func isUnlimited(_ route: RouteKey) -> Bool { mappings[route.templateKey] == .unlimited }

    /// Remaining sends the limiter would allow now on `route`'s counter, or `nil` if unknown.
    public func remaining(for route: RouteKey) -> Int? {
        guard let hash = bucketHash(for: route) else { return nil }
        return buckets[BucketKey(hash: hash, major: route.major)]?.remaining
    }

    /// The learned per-window ceiling (after any tightening) on `route`'s counter.
    public func ceiling(for route: RouteKey) -> Int? {
        guard let hash = bucketHash(for: route) else { return nil }
        return buckets[BucketKey(hash: hash, major: route.major)]?.ceiling
    }

    /// The per-window ceiling the limiter runs `route`'s counter on and the window length seen on its bucket hash
    /// (the longest `Reset-After` at a window's start), once an answer named the bucket: what a caller needs to
    /// size its parallelism to the bucket (how many requests one window takes, how long a window lasts).
    public func bucketWindow(for route: RouteKey) -> (ceiling: Int, window: Duration)? {
        guard let hash = bucketHash(for: route), let state = buckets[BucketKey(hash: hash, major: route.major)] else {
            return nil
        }
        return (state.ceiling, observations[hash]?.window ?? .seconds(1))
    }

    /// How long before its reset `route`'s bucket sends its next window (zero: at the reset, reactive).
    public func sendLead(for route: RouteKey) -> Duration {
        guard let hash = bucketHash(for: route), let timing = timings[hash], let observation = observations[hash],
            timingIfEligible(hash: hash, observation: observation) != nil
        else { return .zero }
        return timing.lead(window: observation.window)
    }

    /// Whether the headers of `route`'s bucket hash are believed (no unexpected 429 seen on it).
    public func headersTrusted(for route: RouteKey) -> Bool {
        guard let hash = bucketHash(for: route) else { return true }
        return observations[hash]?.trusted ?? true
    }

    /// The per-window limit observed on `route`'s hash after its headers proved untrustworthy.
    public func observedLimit(for route: RouteKey) -> Int? {
        guard let hash = bucketHash(for: route) else { return nil }
        return observations[hash]?.observedLimit
    }

    /// The limit learned across the counters of `route`'s hash (an unannounced per-token limit), per route window.
    public func routeLimit(for route: RouteKey) -> Int? {
        guard let hash = bucketHash(for: route) else { return nil }
        return observations[hash]?.route.limit
    }

    /// The most sends the route of `route`'s hash was seen to get admitted in one route window (diagnostics).
    public func routeVerified(for route: RouteKey) -> Int? {
        guard let hash = bucketHash(for: route) else { return nil }
        return observations[hash]?.route.verified
    }

    /// Invalid responses counted in the window ending at `now`.
    public mutating func invalidRequestCount(now: Duration) -> Int { invalid.count(now: now) }

    /// Whether rates are halved at `now` (invalid responses above the slowdown ratio of the window's requests).
    public mutating func isSlowed(now: Duration) -> Bool { invalid.isSlowed(now: now) }

    /// Requests sent within the invalid-request window ending at `now`.
    public mutating func requestCount(now: Duration) -> Int { invalid.requestCount(now: now) }

    /// The global window's length at `now`: the configured one and the margin learned for lateness.
    public func globalWindowLength(now: Duration) -> Duration { configuration.globalWindow + jitter.margin(now: now) }

    /// Global slots held at `now`: sends in flight and answered ones whose slot has not freed (``GlobalWindow``).
    public func globalCount(now: Duration) -> Int { global.count(now: now) }
}
