/// When and how long to wait before retrying a 5xx, a timeout or a dropped connection: jittered exponential
/// backoff, pure (the random part is passed in, so schedules are deterministic in tests).
///
/// The default schedule waits 0.5, 1, 2, 4 and 8 seconds (each scaled by a jitter factor in
/// `1 - jitter ... 1`), then gives up.
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt (so `maxRetries + 1` tries in all).
    public var maxRetries: Int = 5
    /// The wait before the first retry.
    public var initialBackoff: Duration = .milliseconds(500)
    /// The longest wait.
    public var maxBackoff: Duration = .seconds(8)
    /// Growth per retry.
    public var multiplier: Double = 2
    /// The fraction of each wait that is random: 0.5 means a wait lies in `[d/2, d]`.
    public var jitter: Double = 0.5

    /// Creates the default policy.
    public init() {}

    /// Creates a policy.
    public init(
        maxRetries: Int, initialBackoff: Duration, maxBackoff: Duration, multiplier: Double = 2, jitter: Double = 0.5
    ) {
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = multiplier
        self.jitter = jitter
    }

    /// The wait before retry number `retry` (1-based), or `nil` when no retry is left.
    /// - Parameter random: a value in `0..<1` from the jitter source.
    public func backoff(beforeRetry retry: Int, random: Double) -> Duration? {
        guard retry >= 1, retry <= maxRetries else { return nil }
        var seconds = initialBackoff.seconds
        let cap = maxBackoff.seconds
        for _ in 1..<retry { seconds = min(cap, seconds * multiplier) }
        seconds = min(cap, seconds)
        let factor = 1 - jitter * min(max(random, 0), 1)
        return .seconds(seconds * factor)
    }

    /// The whole schedule for a sequence of random values (one per retry).
    public func schedule(randoms: [Double]) -> [Duration] {
        guard maxRetries >= 1 else { return [] }
        return (1...maxRetries).compactMap {
            backoff(beforeRetry: $0, random: randoms.isEmpty ? 0 : randoms[($0 - 1) % randoms.count])
        }
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
