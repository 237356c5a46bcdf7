/// When the next window's requests of one bucket hash are sent: at the reset as the client sees it (reactive), or
/// one round trip earlier, so that they reach Discord as its window resets (timed).
///
/// An answer read at `t` says the bucket resets `Reset-After` after Discord counted the request; a request sent at
/// `s` reaches Discord one request leg later. It falls into the next window when `s ≥ t + Reset-After − (answer leg
/// of the old + request leg of the new)`, that is about one round trip before the reset the client computes,
/// however the latency splits between the two legs, as long as the round trip is stable. A reactive client loses
/// that round trip in every window (deep: 250 ms of every 1.25 s).
///
/// The lead is learned from the hash's own round trips: a low percentile of the recent ones (never above the
/// shortest seen), less a margin that widens with their spread (jitter) and with every failure. Sends stay reactive
/// until the timing is proven on the hash: in one window the last slot is held back and sent at the timed instant;
/// it lands in the next window when the timing is right, and in the old window's free slot (no 429) when Discord's
/// reset is later than its headers said. A `user` 429 on the hash while timed switches it back to reactive sends and
/// widens the margin; so does a failed proof. A lead that is a small part of the window (40 ms of 5 s) is not worth
/// the proof's slot, and stays unused.
struct ResetTiming: Sendable {
    /// Tunables.
    struct Configuration: Sendable, Hashable {
        /// Round trips kept.
        var sampleCount = 16
        /// Round trips needed before the lead is trusted at all.
        var minimumSamples = 8
        /// The margin kept below the round trip however stable it is.
        var baseMargin: Duration = .milliseconds(15)
        /// The lead must win at least this part of the window to be used (the proof costs one slot of a window).
        var minimumGain = 0.05
        /// Windows to wait after a failure before the next proof; doubles with each failure.
        var retryWindows = 4
    }

    /// How the hash's next windows are sent.
    enum Phase: Sendable, Hashable {
        /// At the reset the client computed.
        case reactive
        /// Reactive, with the window's last slot held back for the proof.
        case proving
        /// The lead before the reset.
        case timed
    }

    let configuration: Configuration
    /// How the hash's windows are sent now.
    private(set) var phase = Phase.reactive
    private var samples: [Duration] = []
    private var nextSample = 0
    /// The shortest round trip seen on the hash.
    private(set) var shortest: Duration?
    /// The margin added by failures (429s while timed, failed proofs).
    private(set) var learnedMargin: Duration = .zero
    /// Failures so far (spaces the proofs out).
    private(set) var failures = 0
    /// No proof before this instant.
    private var nextProofAt: Duration = .zero
    /// The proof in flight: its permit and the reset (client time) it was timed to.
    private(set) var proof: (id: UInt64, reset: Duration)?

    init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Records the round trip of an answer the hash's bucket counted (from the grant to the answer read).
    mutating func recordRoundTrip(_ roundTrip: Duration) {
        shortest = min(shortest ?? roundTrip, roundTrip)
        if samples.count < configuration.sampleCount {
            samples.append(roundTrip)
        } else {
            samples[nextSample] = roundTrip
            nextSample = (nextSample + 1) % configuration.sampleCount
        }
    }

    /// The lead the round trips allow for a window of `window`, whether or not it is in use: `nil` with too few
    /// round trips, or when it would win less than ``Configuration/minimumGain`` of the window.
    func candidateLead(window: Duration) -> Duration? {
        guard samples.count >= configuration.minimumSamples, let shortest else { return nil }
        let sorted = samples.sorted()
        let low = sorted[sorted.count / 10]
        let high = sorted[sorted.count * 9 / 10]
        let base = min(low, shortest)
        let margin = configuration.baseMargin + learnedMargin + (high - low)
        guard base > margin else { return nil }
        let lead = base - margin
        guard lead >= window * configuration.minimumGain else { return nil }
        return lead
    }

    /// How long before the reset the next window's requests go out now (zero unless timed).
    func lead(window: Duration) -> Duration {
        guard phase == .timed else { return .zero }
        return candidateLead(window: window) ?? .zero
    }

    /// Whether a full window should hold its last slot back for a proof at `now` (reactive, round trips enough, no
    /// proof in flight, not too soon after a failure). Moves to ``Phase/proving`` when it should.
    mutating func wantsProof(now: Duration, window: Duration) -> Bool {
        switch phase {
        case .timed: return false
        case .proving: return proof == nil
        case .reactive:
            guard now >= nextProofAt, candidateLead(window: window) != nil else { return false }
            phase = .proving
            return true
        }
    }

    /// The proof `id` was sent, timed to the reset at `reset` (client time).
    mutating func proofSent(id: UInt64, reset: Duration) {
        proof = (id, reset)
    }

    /// The proof `id` was answered: `landedInNextWindow` when its answer's reset lies a window after the one it was
    /// timed to (the timing holds), false when Discord counted it in the old window or refused it.
    mutating func proofAnswered(id: UInt64, landedInNextWindow: Bool, now: Duration, window: Duration) {
        guard proof?.id == id else { return }
        proof = nil
        if landedInNextWindow {
            phase = .timed
        } else {
            failed(now: now, window: window)
        }
    }

    /// The proof `id` got no answer: it proves nothing, the next full window tries again.
    mutating func proofCancelled(id: UInt64) {
        guard proof?.id == id else { return }
        proof = nil
    }

    /// A `user` 429 on the hash: back to reactive sends with a wider margin if the sends were timed.
    mutating func rateLimited(now: Duration, window: Duration) {
        guard phase == .timed || proof != nil else { return }
        proof = nil
        failed(now: now, window: window)
    }

    private mutating func failed(now: Duration, window: Duration) {
        phase = .reactive
        failures += 1
        // The round trip's spread did not cover the lateness: twice as much margin (at least the base) each time.
        learnedMargin = max(configuration.baseMargin, learnedMargin * 2)
        nextProofAt = now + window * (configuration.retryWindows << min(failures - 1, 6))
    }
}
