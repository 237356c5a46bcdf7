/// The rate-limit and invalid-request state machine: pure, time passed in as seconds since the Unix epoch.
///
/// `admit` decides one request; `recordInvalid` counts a 401/403/non-shared 429 and may start a ban.
struct RateLimitState: Sendable {
    struct Key: Hashable, Sendable {
        var token: Int
        var bucket: String
        var major: UInt64
    }

    struct Window: Sendable {
        var resetAt: Double
        var count: Int
    }

    /// What the bucket headers say.
    struct BucketHeaders: Sendable, Equatable {
        var limit: Int
        var remaining: Int
        var resetAt: Double
        var resetAfter: Double
        var hash: String
    }

    enum Decision: Sendable, Equatable {
        case allowed(BucketHeaders?)
        case limited(BucketHeaders, retryAfter: Double, shared: Bool)
        case globalLimited(retryAfter: Double)
    }

    let globalLimit: Int
    let invalidThreshold: Int
    let invalidWindow: Double
    let banDuration: Double

    private(set) var buckets: [Key: Window] = [:]
    private(set) var global: [Int: Window] = [:]
    private var invalidTimes: [Double] = []
    private var invalidHead = 0
    private(set) var bannedUntil: Double?

    init(globalLimit: Int, invalidThreshold: Int, invalidWindow: Double, banDuration: Double) {
        self.globalLimit = globalLimit
        self.invalidThreshold = invalidThreshold
        self.invalidWindow = invalidWindow
        self.banDuration = banDuration
    }

    /// Seconds left of a ban, or nil.
    mutating func banRemaining(now: Double) -> Double? {
        guard let until = bannedUntil else { return nil }
        if now >= until {
            bannedUntil = nil
            return nil
        }
        return until - now
    }

    /// Admits or refuses one request of `token` on `rule` (nil: an unlimited route) for major value `major`.
    /// `shared` asks for a shared-scope 429 (decided by the caller's seeded randomness).
    mutating func admit(token: Int, rule: RateLimitRule?, major: UInt64, now: Double, shared: Bool = false)
        -> Decision
    {
        // Global window per token.
        var globalWindow = global[token] ?? Window(resetAt: now + 1, count: 0)
        if now >= globalWindow.resetAt { globalWindow = Window(resetAt: now + 1, count: 0) }
        globalWindow.count += 1
        global[token] = globalWindow
        if globalWindow.count > globalLimit {
            return .globalLimited(retryAfter: max(0.001, globalWindow.resetAt - now))
        }
        guard let rule else { return .allowed(nil) }
        let key = Key(token: token, bucket: rule.hash, major: major)
        var window = buckets[key] ?? Window(resetAt: now + rule.windowSeconds, count: 0)
        if now >= window.resetAt { window = Window(resetAt: now + rule.windowSeconds, count: 0) }
        func headers(_ count: Int) -> BucketHeaders {
            BucketHeaders(
                limit: rule.limit, remaining: max(0, rule.limit - count), resetAt: window.resetAt,
                resetAfter: max(0, window.resetAt - now), hash: rule.hash)
        }
        if shared {
            buckets[key] = window
            return .limited(headers(window.count), retryAfter: max(0.001, window.resetAt - now), shared: true)
        }
        if window.count >= rule.limit || (rule.hiddenLimit.map { window.count >= $0 } ?? false) {
            buckets[key] = window
            return .limited(headers(window.count), retryAfter: max(0.001, window.resetAt - now), shared: false)
        }
        window.count += 1
        buckets[key] = window
        return .allowed(headers(window.count))
    }

    /// Counts an invalid response; returns true when this one started a ban.
    mutating func recordInvalid(now: Double) -> Bool {
        invalidTimes.append(now)
        pruneInvalid(now: now)
        if invalidTimes.count - invalidHead >= invalidThreshold {
            bannedUntil = now + banDuration
            invalidTimes.removeAll()
            invalidHead = 0
            return true
        }
        return false
    }

    /// Invalid responses in the sliding window.
    mutating func invalidCount(now: Double) -> Int {
        pruneInvalid(now: now)
        return invalidTimes.count - invalidHead
    }

    private mutating func pruneInvalid(now: Double) {
        while invalidHead < invalidTimes.count && invalidTimes[invalidHead] <= now - invalidWindow { invalidHead += 1 }
        if invalidHead > 4096 && invalidHead * 2 > invalidTimes.count {
            invalidTimes.removeFirst(invalidHead)
            invalidHead = 0
        }
    }
}
