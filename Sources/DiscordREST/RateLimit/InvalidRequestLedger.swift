import Synchronization

/// The invalid-request budget of a whole process: every ``DiscordClient`` given the same ledger counts its 401,
/// 403 and non-shared 429 responses (and its requests) here, because Discord's Cloudflare ban is per IP address,
/// not per token. Sending stops for every client once the sliding 10-minute count reaches `limit`.
///
/// ```swift
/// let ledger = InvalidRequestLedger()
/// var configuration = DiscordClientConfiguration(token: token)
/// configuration.invalidRequestLedger = ledger          // the same ledger for every token of the process
/// print(ledger.invalidCount(), ledger.requestCount())  // e.g. in a run summary
/// ```
public final class InvalidRequestLedger: Sendable {
    private let tally: Mutex<InvalidRequestGuard>
    private let totals = Mutex((requests: 0, invalid: 0))
    private let now: @Sendable () -> Duration

    /// Creates a ledger stopping at `limit` invalid responses per `window` (default: half of Discord's 10,000 per
    /// 10 minutes). `now` is the time source (default: a continuous clock from creation).
    public init(limit: Int = 5000, window: Duration = .seconds(600), now: (@Sendable () -> Duration)? = nil) {
        tally = Mutex(InvalidRequestGuard(limit: limit, window: window))
        if let now {
            self.now = now
        } else {
            let clock = ContinuousClock()
            let origin = clock.now
            self.now = { origin.duration(to: clock.now) }
        }
    }

    /// The limit at which sending stops.
    public var limit: Int { tally.withLock { $0.limit } }

    /// Records a request sent.
    public func recordRequest() {
        let instant = now()
        tally.withLock { $0.recordRequest(now: instant) }
        totals.withLock { $0.requests += 1 }
    }

    /// Records an invalid (401, 403, non-shared 429) response.
    public func recordInvalid() {
        let instant = now()
        tally.withLock { $0.record(now: instant) }
        totals.withLock { $0.invalid += 1 }
    }

    /// Requests sent since the ledger was created.
    public var totalRequests: Int { totals.withLock { $0.requests } }

    /// Invalid responses since the ledger was created.
    public var totalInvalid: Int { totals.withLock { $0.invalid } }

    /// Invalid responses in the last window.
    public func invalidCount() -> Int {
        let instant = now()
        return tally.withLock { $0.count(now: instant) }
    }

    /// Requests sent in the last window.
    public func requestCount() -> Int {
        let instant = now()
        return tally.withLock { $0.requestCount(now: instant) }
    }

    /// Whether the process must stop sending.
    public func isExhausted() -> Bool {
        let instant = now()
        return tally.withLock { $0.isExhausted(now: instant) }
    }
}
