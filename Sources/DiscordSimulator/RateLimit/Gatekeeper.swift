/// The admission actor: ban state, fault injection, the global and per-bucket limits, and the statistics.
actor Gatekeeper {
    private var limits: RateLimitState
    private let table: RateLimitTable
    private var random: SeededRandom
    private let faultRate: Double
    private let sharedRate: Double
    private(set) var stats = SimulatorStats()
    /// The highest round trip an answer went out for (see ``SimulatorStats/firstRoundTrip``).
    private var answeredRoundTrip = 0
    /// API requests arrived, by route, since the simulator started (``resetStats()`` keeps them).
    private var arrivals: [String: Int] = [:]
    /// Waiters for a number of arrivals of a route.
    private var arrivalWaiters: [(route: String, count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    /// What to do with an API request.
    enum Admission: Sendable {
        case banned(retryAfter: Double)
        case fault(FaultKind)
        case unauthorized
        case globalLimited(retryAfter: Double)
        case limited(RateLimitState.BucketHeaders, retryAfter: Double, shared: Bool)
        case allowed(RateLimitState.BucketHeaders?)
    }

    /// An injected failure.
    enum FaultKind: String, Sendable, CaseIterable {
        case serverError, connectionReset, truncatedBody
    }

    init(configuration: SimulatorConfiguration) {
        table = RateLimitTable(configuration: configuration)
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        limits = RateLimitState(
            globalLimit: configuration.globalLimitPerSecond, invalidThreshold: configuration.invalidRequestThreshold,
            invalidWindow: seconds(configuration.invalidRequestWindow), banDuration: seconds(configuration.banDuration),
            lyingHeaders: configuration.lyingHeaders, hiddenLimitPerSecond: configuration.hiddenMessageLimitPerSecond)
        random = SeededRandom(seed: Mix.hash(configuration.seed, 0xFA17))
        faultRate = configuration.faultRate
        sharedRate = configuration.sharedRateLimitRate
    }

    /// Decides one API request. `token` is nil when the request carries no valid bot token (and the route
    /// needs one).
    func admit(route: Route?, token: Int?, needsToken: Bool, major: UInt64, now: Double) -> Admission {
        stats.requests += 1
        if let route {
            stats.byRoute[route.rawValue, default: 0] += 1
            if let token { stats.byToken[token, default: [:]][route.rawValue, default: 0] += 1 }
        }
        if let remaining = limits.banRemaining(now: now) {
            stats.bannedResponses += 1
            return .banned(retryAfter: remaining)
        }
        if faultRate > 0, random.chance(faultRate) {
            let kind = FaultKind.allCases[random.below(FaultKind.allCases.count)]
            stats.faults[kind.rawValue, default: 0] += 1
            stats.faultsTotal += 1
            return .fault(kind)
        }
        if needsToken && token == nil {
            recordInvalid(now: now)
            return .unauthorized
        }
        guard table.enabled, let route else { return .allowed(nil) }
        let rule = table.rules[route.bucket]
        let shared = sharedRate > 0 && rule != nil && random.chance(sharedRate)
        let tokenKey = token ?? -1
        switch limits.admit(token: tokenKey, rule: rule, major: major, now: now, shared: shared) {
        case .allowed(let headers):
            return .allowed(headers)
        case .globalLimited(let retryAfter):
            stats.rateLimited.global += 1
            recordInvalid(now: now)
            return .globalLimited(retryAfter: retryAfter)
        case .limited(let headers, let retryAfter, let isShared, let hidden):
            if isShared {
                stats.rateLimited.shared += 1
            } else {
                stats.rateLimited.user += 1
                stats.rateLimited.userByRoute[route.rawValue, default: 0] += 1
                if hidden { stats.rateLimited.hidden += 1 }
                if headers.remaining > 0 { stats.rateLimited.despiteRemaining += 1 }
                recordInvalid(now: now)
            }
            return .limited(headers, retryAfter: retryAfter, shared: isShared)
        }
    }

    /// Records the outcome of a handled request: 401/403 count as invalid; successful pages are tallied.
    func finish(status: Int, pageKey: String?, now: Double) {
        if status == 401 || status == 403 { recordInvalid(now: now) }
        if let pageKey, (200..<300).contains(status) { stats.pages[pageKey, default: 0] += 1 }
    }

    private func recordInvalid(now: Double) {
        stats.invalidRequests += 1
        if limits.recordInvalid(now: now) { stats.bans += 1 }
    }

    /// Statistics with the current sliding invalid count.
    func snapshot(now: Double) -> SimulatorStats {
        var copy = stats
        copy.invalidRequestsInWindow = limits.invalidCount(now: now)
        copy.banned = limits.banRemaining(now: now) != nil
        return copy
    }

    /// Notes an API request's arrival; returns its round trip: one more than the highest round trip answered
    /// before it arrived.
    func arrive(route: Route?) -> Int {
        let roundTrip = answeredRoundTrip + 1
        if let route {
            if stats.firstRoundTrip[route.rawValue] == nil { stats.firstRoundTrip[route.rawValue] = roundTrip }
            arrivals[route.rawValue, default: 0] += 1
            let count = arrivals[route.rawValue] ?? 0
            let ready = arrivalWaiters.filter { $0.route == route.rawValue && $0.count <= count }
            arrivalWaiters.removeAll { $0.route == route.rawValue && $0.count <= count }
            for waiter in ready { waiter.continuation.resume() }
        }
        return roundTrip
    }

    /// Waits until `count` requests of `route` (its raw value) have arrived since the simulator started.
    func waitUntilArrived(_ route: String, count: Int) async {
        if arrivals[route, default: 0] >= count { return }
        await withCheckedContinuation { arrivalWaiters.append((route, count, $0)) }
    }

    /// Notes that the answer to a request of `roundTrip` went out, `compressed` from and to these sizes if it was.
    func answered(roundTrip: Int, compressed: (bytesIn: Int, bytesOut: Int)? = nil) {
        answeredRoundTrip = max(answeredRoundTrip, roundTrip)
        if let compressed {
            stats.compressedAnswers += 1
            stats.compressedBytesIn += compressed.bytesIn
            stats.compressedBytesOut += compressed.bytesOut
        }
    }

    func resetStats() {
        stats = SimulatorStats()
        answeredRoundTrip = 0
    }
}
