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
        /// A bucket 429; `hidden` when the unannounced per-token limit refused it.
        case limited(BucketHeaders, retryAfter: Double, shared: Bool, hidden: Bool = false)
        case globalLimited(retryAfter: Double)
    }

    let globalLimit: Int
    let invalidThreshold: Int
    let invalidWindow: Double
    let banDuration: Double
    /// The message-history bucket reports twice the limit it enforces.
    let lyingHeaders: Bool
    /// Unannounced per-token limit on message history, per second.
    let hiddenLimitPerSecond: Int?

    private(set) var buckets: [Key: Window] = [:]
    private(set) var global: [Int: Window] = [:]
    /// Per-token windows of the hidden message-history limit.
    private(set) var hidden: [Int: Window] = [:]
    private var invalidTimes: [Double] = []
    private var invalidHead = 0
    private(set) var bannedUntil: Double?

    init(
        globalLimit: Int, invalidThreshold: Int, invalidWindow: Double, banDuration: Double,
        lyingHeaders: Bool = false, hiddenLimitPerSecond: Int? = nil
    ) {
        self.globalLimit = globalLimit
        self.invalidThreshold = invalidThreshold
        self.invalidWindow = invalidWindow
        self.banDuration = banDuration
        self.lyingHeaders = lyingHeaders
        self.hiddenLimitPerSecond = hiddenLimitPerSecond
    }

    /// The bucket of `GET /channels/{channel.id}/messages`, the one `lyingHeaders` and the hidden limit apply to.
    static let messageHistoryBucket = "messages"

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
        let isHistory = rule.name == Self.messageHistoryBucket
        // Lying headers announce twice the enforced limit (and remaining to match).
        let announced = isHistory && lyingHeaders ? rule.limit * 2 : rule.limit
        func headers(_ count: Int) -> BucketHeaders {
            BucketHeaders(
                limit: announced, remaining: max(0, announced - count), resetAt: window.resetAt,
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
        if isHistory, let perSecond = hiddenLimitPerSecond {
            var tokenWindow = hidden[token] ?? Window(resetAt: now + 1, count: 0)
            if now >= tokenWindow.resetAt { tokenWindow = Window(resetAt: now + 1, count: 0) }
            if tokenWindow.count >= perSecond {
                hidden[token] = tokenWindow
                buckets[key] = window
                return .limited(
                    headers(window.count), retryAfter: max(0.001, tokenWindow.resetAt - now), shared: false,
                    hidden: true)
            }
            tokenWindow.count += 1
            hidden[token] = tokenWindow
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
