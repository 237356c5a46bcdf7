/// How much later than it could have, a request reaches Discord: the margin the global window needs on top of its
/// second. Discord's global window opens when a request arrives; if that request arrived late and a later one on
/// time, the later one falls into the same window although the client sent them a full window apart, and draws a
/// global 429. A loaded machine (50-100 ms for a request to reach an in-process server) or a slow network needs
/// more than the configured margin.
///
/// Two sources, the larger wins, bounded by `maximum`:
/// - Round trips: each answer's round trip beyond the shortest seen on its route is lateness of the request, the
///   answer or both, an upper bound of the request's; the second largest of the last `sampleCount` (one outlier
///   does not widen the window) is the estimate, so it follows the machine's load both ways.
/// - Global 429s: the `retry_after` of a global 429 the client's window let through is how much later it should
///   have sent; it adds up over 429s and decays back slowly, by `decayPerSecond`.
struct GlobalJitter: Sendable {
    /// The widest margin either source may ask for.
    let maximum: Duration
    /// Round trips sampled.
    let sampleCount: Int
    /// How fast lateness learned from a global 429 decays: this much per second.
    let decayPerSecond: Duration
    private var shortest: [String: Duration] = [:]
    private var samples: [Duration] = []
    private var next = 0
    /// The second largest sample: the round trips' estimate.
    private var roundTrips: Duration = .zero
    private var lateness: Duration = .zero
    private var latenessAt: Duration = .zero

    init(maximum: Duration, sampleCount: Int = 32, decayPerSecond: Duration = .milliseconds(2)) {
        self.maximum = maximum
        self.sampleCount = max(2, sampleCount)
        self.decayPerSecond = decayPerSecond
    }

    /// Records the round trip of an answer on `route` (method and template).
    mutating func recordRoundTrip(_ roundTrip: Duration, route: String) {
        let least = min(shortest[route] ?? roundTrip, roundTrip)
        shortest[route] = least
        let sample = roundTrip - least
        if samples.count < sampleCount {
            samples.append(sample)
        } else {
            samples[next] = sample
            next = (next + 1) % sampleCount
        }
        if samples.count >= 2 { roundTrips = samples.sorted(by: >)[1] }
    }

    /// Records a global 429 that came `retryAfter` before its window ended.
    mutating func recordGlobalLimited(retryAfter: Duration, now: Duration) {
        lateness = min(maximum, decayed(now: now) + retryAfter)
        latenessAt = now
    }

    /// The margin to add to the global window at `now`.
    func margin(now: Duration) -> Duration {
        min(maximum, max(roundTrips, decayed(now: now)))
    }

    private func decayed(now: Duration) -> Duration {
        guard lateness > .zero else { return .zero }
        let decay = decayPerSecond * ((now - latenessAt) / .seconds(1))
        return decay >= lateness ? .zero : lateness - decay
    }
}
