/// The rate limiter's logic as a pure state machine: no clocks, no I/O. Time is a `Duration` since the
/// limiter started, passed in by the caller; every decision comes back as an action.
///
/// ```swift
/// var machine = RateLimitStateMachine()
/// switch machine.acquire(route, now: .zero) {
/// case .send(let permit): …                 // send, then report with `complete(permit, response:now:)`
/// case .wait(let until): …                  // sleep until `until`, then ask again
/// case .waitForResponse: …                  // ask again after any response arrives
/// case .refuse(let refusal): …              // fail the request without sending it
/// }
/// ```
///
/// Rules (reference §2 "What a client must do"):
/// - A route whose template has no known bucket hash sends one request at a time until headers arrive.
/// - A known hash on a new major value starts from the limit learned on another major value, so a new channel
///   on a known route does not wait for a serial first request.
/// - Up to `remaining` requests run at once; at 0 the caller waits for `Reset-After`.
/// - At most `globalLimit` sends per `globalWindow`; a global 429 pauses everything.
/// - 429s are information: `shared` backs off the resource without counting as invalid, an unexpected
///   `user` 429 (headers said there was room) tightens the bucket.
public struct RateLimitStateMachine: Sendable {
    /// Tunables.
    public struct Configuration: Sendable, Hashable {
        /// Sends allowed per `globalWindow` (Discord: 50 per second per token).
        public var globalLimit: Int = 50
        /// The global window, including a small safety margin for network jitter.
        public var globalWindow: Duration = .milliseconds(1020)
        /// Invalid (401/403/non-shared 429) responses tolerated per `invalidRequestWindow`.
        public var invalidRequestLimit: Int = 2000
        /// The rolling window for invalid responses (Discord: 10 minutes).
        public var invalidRequestWindow: Duration = .seconds(600)
        /// Two reset instants closer than this belong to the same window.
        public var sameWindowTolerance: Duration = .milliseconds(150)
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
        case refuse(Refusal)
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
    private var probing: Set<RouteKey> = []
    private var global: GlobalWindow
    private var globalPausedUntil: Duration?
    private var invalid: InvalidRequestGuard
    private var tokenRejected = false
    private var forbiddenRoutes: Set<RouteKey> = []
    private var forbiddenMajors: Set<String> = []
    private var nextID: UInt64 = 0

    /// Creates a machine with no knowledge of any bucket.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        self.global = GlobalWindow(limit: configuration.globalLimit, window: configuration.globalWindow)
        self.invalid = InvalidRequestGuard(
            limit: configuration.invalidRequestLimit, window: configuration.invalidRequestWindow)
    }

    // MARK: - Acquire

    /// Decides whether `route` may be sent at `now`.
    public mutating func acquire(_ route: RouteKey, now: Duration) -> AcquireAction {
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

        // Per-route decision, without committing anything yet.
        var bucketKey: BucketKey?
        var isProbe = false
        switch mappings[route.templateKey] {
        case nil:
            if probing.contains(route) { return .waitForResponse }
            isProbe = true
        case .unlimited:
            break
        case .hash(let hash):
            // This exact route's probe is still out: its response decides the counter.
            if probing.contains(route) { return .waitForResponse }
            let key = BucketKey(hash: hash, major: route.major)
            var state = buckets[key] ?? seededBucket(hash: hash)
            state.refill(now: now)
            if state.remaining <= 0 {
                if let reset = state.resetAt {
                    buckets[key] = state
                    return .wait(until: reset)
                }
                if state.inFlight > 0 {
                    buckets[key] = state
                    return .waitForResponse
                }
                state.remaining = 1  // No information and nothing in flight: probe with one request.
            }
            buckets[key] = state
            bucketKey = key
        }

        if let opens = global.nextAllowed(now: now) { return .wait(until: opens) }

        // Commit.
        global.record(now: now)
        if isProbe { probing.insert(route) }
        if let key = bucketKey {
            buckets[key]!.remaining -= 1
            buckets[key]!.inFlight += 1
        }
        nextID &+= 1
        return .send(Permit(id: nextID, route: route, bucket: bucketKey, isProbe: isProbe, sentAt: now))
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
    }

    /// Reports a response and learns from its headers.
    public mutating func complete(_ permit: Permit, response: Response, now: Duration) -> Verdict {
        release(permit)
        let headers = response.headers
        let route = permit.route

        switch response.status {
        case 401:
            if response.carriedToken { tokenRejected = true }
            invalid.record(now: now)
        case 403:
            invalid.record(now: now)
            forbiddenRoutes.insert(route)
            if response.discordCode == 50001, route.major.hasPrefix("channel:") {
                forbiddenMajors.insert(route.major)
            }
        default:
            break
        }

        // Learn the bucket, if the response names it.
        var key: BucketKey? = permit.bucket
        if let hash = headers.bucket {
            mappings[route.templateKey] = .hash(hash)
            key = BucketKey(hash: hash, major: route.major)
            if let limit = headers.limit, limit > 0 { learnedLimits[hash] = limit }
            if let remaining = headers.remaining, let resetAfter = headers.resetAfter {
                learn(
                    key: key!, limit: headers.limit, remaining: remaining,
                    resetAt: now + .seconds(resetAfter), chargedHere: permit.bucket == key)
            }
        } else if (200..<300).contains(response.status), mappings[route.templateKey] == nil {
            mappings[route.templateKey] = .unlimited
        }

        guard response.status == 429 else { return .completed }

        let seconds = response.bodyRetryAfter ?? headers.retryAfter ?? 1
        let retryAfter = Duration.seconds(max(0, seconds))
        let isGlobal = headers.isGlobal || response.bodyGlobal == true || headers.scope == "global"
        let scope: RateLimitScope = isGlobal ? .global : (headers.scope == "shared" ? .shared : .user)
        switch scope {
        case .global:
            invalid.record(now: now)
            let until = now + retryAfter
            globalPausedUntil = max(globalPausedUntil ?? until, until)
            return .rateLimited(scope: .global, retryAfter: retryAfter, unexpected: false)
        case .shared, .user:
            if scope == .user { invalid.record(now: now) }
            // Our accounting let it through: for a known counter that means Discord has a limit we did not
            // see (discord-api-docs #8161). Tighten instead of failing.
            let unexpected = scope == .user && (permit.bucket != nil || (headers.remaining ?? 0) > 0)
            if let key {
                var state = buckets[key] ?? seededBucket(hash: key.hash)
                state.remaining = 0
                let until = now + retryAfter
                state.resetAt = max(state.resetAt ?? until, until)
                if unexpected { state.cap = max(1, (state.ceiling + 1) / 2) }
                buckets[key] = state
            } else {
                // Nothing to key it on (no headers, unknown route): hold the route back via a pause entry.
                let pauseKey = BucketKey(hash: "unknown:\(route.templateKey)", major: route.major)
                mappings[route.templateKey] = .hash(pauseKey.hash)
                buckets[pauseKey] = BucketState(limit: 1, remaining: 0, resetAt: now + retryAfter)
            }
            return .rateLimited(scope: scope, retryAfter: retryAfter, unexpected: unexpected)
        }
    }

    private mutating func release(_ permit: Permit) {
        if permit.isProbe { probing.remove(permit.route) }
        if let key = permit.bucket, var state = buckets[key] {
            state.inFlight = max(0, state.inFlight - 1)
            buckets[key] = state
        }
    }

    private mutating func learn(key: BucketKey, limit: Int?, remaining: Int, resetAt: Duration, chargedHere: Bool) {
        var state = buckets[key] ?? seededBucket(hash: key.hash)
        if let limit, limit > 0 { state.limit = limit }
        let serverView = max(0, remaining - state.inFlight)
        let tolerance = configuration.sameWindowTolerance
        if let current = state.resetAt {
            if resetAt > current + tolerance {
                state.remaining = min(serverView, state.ceiling - state.inFlight)  // a new window
                state.resetAt = resetAt
            } else if resetAt + tolerance >= current {
                state.remaining = min(state.remaining, serverView)  // same window
                state.resetAt = max(current, resetAt)
            }  // else: a late answer from an older window; ignore.
        } else {
            state.remaining = chargedHere ? min(state.remaining, serverView) : serverView
            if !chargedHere { state.remaining = min(state.remaining, state.ceiling - state.inFlight) }
            state.resetAt = resetAt
        }
        state.remaining = max(0, state.remaining)
        buckets[key] = state
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

    /// Invalid responses counted in the window ending at `now`.
    public mutating func invalidRequestCount(now: Duration) -> Int { invalid.count(now: now) }

    /// Sends within the global window ending at `now`.
    public func globalCount(now: Duration) -> Int { global.count(now: now) }
}
