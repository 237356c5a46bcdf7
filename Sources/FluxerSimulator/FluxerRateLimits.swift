import Foundation

/// Fixed-window rate limits of a fake Fluxer (fluxer-api.md §2): a global 50/s per token and route buckets
/// keyed by token + template + the path's ids. A pure value: time is passed in.
struct FluxerRateLimits: Sendable {
    /// One route bucket's limit.
    struct Limit: Sendable {
        var name: String
        var limit: Int
        var window: Double
        var exemptFromGlobal = false
    }

    /// One counted window.
    struct Window: Sendable {
        var start: Double
        var count: Int
    }

    /// The verdict for one request.
    enum Verdict: Sendable {
        case allowed(limit: Int, remaining: Int, resetAt: Double, resetAfter: Double)
        case bucketLimited(limit: Int, resetAt: Double, retryAfter: Double)
        case globalLimited(retryAfter: Double)
    }

    var globalPerSecond: Int
    private var global: [String: Window] = [:]
    private var buckets: [String: Window] = [:]

    init(globalPerSecond: Int) { self.globalPerSecond = globalPerSecond }

    /// Counts a request of `token` on bucket `key` at `now`.
    mutating func admit(token: String, key: String, limit: Limit, now: Double) -> Verdict {
        if !limit.exemptFromGlobal {
            var window = global[token] ?? Window(start: now, count: 0)
            if now - window.start >= 1 { window = Window(start: now, count: 0) }
            if window.count >= globalPerSecond {
                return .globalLimited(retryAfter: max(0.001, window.start + 1 - now))
            }
            window.count += 1
            global[token] = window
        }
        var window = buckets[key] ?? Window(start: now, count: 0)
        if now - window.start >= limit.window { window = Window(start: now, count: 0) }
        let resetAt = window.start + limit.window
        if window.count >= limit.limit {
            return .bucketLimited(limit: limit.limit, resetAt: resetAt, retryAfter: max(0.001, resetAt - now))
        }
        window.count += 1
        buckets[key] = window
        return .allowed(
            limit: limit.limit, remaining: limit.limit - window.count, resetAt: resetAt, resetAfter: resetAt - now)
    }
}
