/// The retry decisions of one request as a pure state machine, beside ``RateLimitStateMachine``: no clocks, no
/// I/O. ``DiscordClient`` sends, reports each attempt's outcome here, and does what comes back.
///
/// ```swift
/// var attempts = RequestAttemptStateMachine(canRetry: true, policy: .init(), maxRateLimitWait: .seconds(120),
///                                           maxRateLimitRetries: 20)
/// switch attempts.transportFailed(unreachable: false, reachedServerBefore: true, random: 0.3) {
/// case .retry(let wait): …      // sleep `wait`, then acquire and send again
/// case .sendAgain: …            // acquire and send again now (the limiter holds the route back)
/// case .fail(let failure): …    // throw the error for `failure`
/// }
/// ```
///
/// Rules:
/// - A transport error, a 5xx or a body cut short (2xx that is not JSON) is retried with the policy's backoff,
///   if the request may be sent twice; a failure to reach an address that never answered is hopeless after two
///   tries (a wrong `--api-base`, a server that is down).
/// - A 429 is sent again as soon as the limiter allows, unless Discord asks for a wait longer than
///   `maxRateLimitWait` or the request drew more than `maxRateLimitRetries` 429s.
struct RequestAttemptStateMachine: Sendable, Hashable {
    /// What to do after an attempt.
    enum Decision: Hashable, Sendable {
        /// Wait, then send again.
        case retry(after: Duration)
        /// Send again now: the limiter already holds the route back for the 429's `retry_after`.
        case sendAgain
        /// Give up.
        case fail(Failure)
    }

    /// Why a request is given up.
    enum Failure: Hashable, Sendable {
        /// Transport errors on every try (`attempts` of them).
        case transport(attempts: Int)
        /// A 5xx on every try.
        case server(attempts: Int)
        /// The body is not what was expected (and not a truncation worth retrying).
        case undecodable
        /// Discord asked for a longer wait than `maxRateLimitWait`.
        case rateLimitedTooLong(retryAfter: Duration, scope: RateLimitScope)
        /// More 429s than `maxRateLimitRetries` (`count` of them), each asking for a wait within the maximum (the last
        /// one `retryAfter`).
        case rateLimitedTooOften(count: Int, retryAfter: Duration, scope: RateLimitScope)
    }

    /// Whether a request that may have reached Discord can be sent again.
    let canRetry: Bool
    let policy: RetryPolicy
    let maxRateLimitWait: Duration
    let maxRateLimitRetries: Int
    /// Failed tries so far (transport, 5xx, truncated body).
    private(set) var failures = 0
    /// 429s so far.
    private(set) var rateLimits = 0

    init(canRetry: Bool, policy: RetryPolicy, maxRateLimitWait: Duration, maxRateLimitRetries: Int) {
        self.canRetry = canRetry
        self.policy = policy
        self.maxRateLimitWait = maxRateLimitWait
        self.maxRateLimitRetries = maxRateLimitRetries
    }

    /// No response: the connection failed, timed out or was reset.
    /// - Parameters:
    ///   - unreachable: nothing listens at the address, or its name does not resolve.
    ///   - reachedServerBefore: any response has ever arrived from this server.
    ///   - random: the jitter value for the backoff, in `0..<1`.
    mutating func transportFailed(unreachable: Bool, reachedServerBefore: Bool, random: Double) -> Decision {
        failures += 1
        let hopeless = unreachable && !reachedServerBefore && failures >= 2
        guard canRetry, !hopeless, let wait = policy.backoff(beforeRetry: failures, random: random) else {
            return .fail(.transport(attempts: failures))
        }
        return .retry(after: wait)
    }

    /// A 5xx answer.
    mutating func serverError(random: Double) -> Decision {
        failures += 1
        guard canRetry, let wait = policy.backoff(beforeRetry: failures, random: random) else {
            return .fail(.server(attempts: failures))
        }
        return .retry(after: wait)
    }

    /// A 2xx whose body could not be decoded; `truncated` when it is not JSON at all (a connection dropped
    /// mid-body), which is retried like a transport error.
    mutating func undecodableBody(truncated: Bool, random: Double) -> Decision {
        failures += 1
        guard truncated, canRetry, let wait = policy.backoff(beforeRetry: failures, random: random) else {
            return .fail(.undecodable)
        }
        return .retry(after: wait)
    }

    /// A 429 the limiter judged (it holds the affected requests back for `retryAfter`).
    mutating func rateLimited(scope: RateLimitScope, retryAfter: Duration) -> Decision {
        rateLimits += 1
        if retryAfter > maxRateLimitWait {
            return .fail(.rateLimitedTooLong(retryAfter: retryAfter, scope: scope))
        }
        if rateLimits > maxRateLimitRetries {
            return .fail(.rateLimitedTooOften(count: rateLimits, retryAfter: retryAfter, scope: scope))
        }
        return .sendAgain
    }
}
