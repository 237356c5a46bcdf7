/// Discord's edge refusing the IP address, as a pure state machine: no clocks, no I/O. Time is a `Duration` since an
/// origin the caller keeps; every decision comes back as a value.
///
/// After 10,000 responses with 401, 403 or 429 in 10 minutes, from any program on the IP address, Discord's
/// Cloudflare answers every request with a page that is not Discord's JSON and carries no `X-RateLimit-*` header,
/// for about an hour (reference §2, "Invalid requests (Cloudflare ban)"). Every request sent into the ban is one more
/// refusal, so the machine decides who may still send:
///
/// ```swift
/// var edge = EdgeRefusalStateMachine(policy: .waitOut(.init()))
/// switch edge.admit(now: now) {
/// case .send, .probe: …            // send; report the answer with `refused`, `answered` or `unanswered`
/// case .refuse(let ban): …         // `.stop`: fail without sending
/// case .wait(let until): …         // `.waitOut`: ask again at `until` (the next probe)
/// case .waitForProbe: …            // `.waitOut`: ask again once the probe in flight is answered
/// }
/// ```
///
/// Rules:
/// - `.stop` (one-shot commands): from the first refusal on, every request fails without being sent; nothing ends
///   the ban (the command stops and is run again later).
/// - `.waitOut` (long-running commands): every request waits; one request at a time is sent as a probe, the first
///   after ``ProbeSchedule/first`` (or the `Retry-After`, when longer), each later one after twice the wait before, up
///   to ``ProbeSchedule/longest``: 300 s, 600 s, 1,200 s, then every 1,200 s — four requests in the ban's first hour,
///   three an hour after. A probe answered by Discord itself (anything but a refusal, a 5xx or no answer) ends the
///   ban; a probe that got no answer or a 5xx is tried again after the same wait.
/// - Only a probe's answer ends a ban: a request sent before the ban began may still be answered by Discord after it.
public struct EdgeRefusalStateMachine: Sendable, Hashable {
    /// What requests do while the edge refuses the address.
    public enum Policy: Sendable, Hashable {
        /// Fail every request from the first refusal on, without sending it (one-shot commands).
        case stop
        /// Hold every request; probe sparsely, and go on once a probe is answered (long-running commands).
        case waitOut(ProbeSchedule)
    }

    /// When a long-running command probes the edge during a ban.
    public struct ProbeSchedule: Sendable, Hashable {
        /// The wait before the first probe (a longer `Retry-After` wins).
        public var first: Duration = .seconds(300)
        /// The longest wait between two probes (a longer `Retry-After` wins).
        public var longest: Duration = .seconds(1200)
        /// Growth of the wait after each refused probe.
        public var multiplier: Double = 2

        /// The default schedule: 300 s, 600 s, then every 1,200 s.
        public init() {}

        /// A schedule.
        public init(first: Duration, longest: Duration, multiplier: Double = 2) {
            self.first = first
            self.longest = longest
            self.multiplier = multiplier
        }
    }

    /// A ban in force: when it was first seen and what the refusal said.
    public struct Ban: Sendable, Hashable {
        /// The refusal's status (429 or 403).
        public var status: Int
        /// When the first refusal arrived.
        public var since: Duration
        /// The refusal's `Retry-After`, when it carried one.
        public var retryAfter: Duration?
    }

    /// Whether a request may be sent now.
    public enum Admission: Sendable, Hashable {
        /// No ban: send.
        case send
        /// Banned, and this request is the one probe: send it, and report its answer.
        case probe
        /// Banned under `.stop`: fail without sending.
        case refuse(Ban)
        /// Banned under `.waitOut`: ask again at this instant, when the next probe is due.
        case wait(until: Duration)
        /// Banned under `.waitOut`, a probe in flight: ask again once it is answered.
        case waitForProbe
    }

    /// A change worth one log line.
    public enum Change: Sendable, Hashable {
        /// The first refusal: the ban began.
        case began(Ban)
        /// A probe was answered by Discord: the ban ended after `lasted` (since the first refusal), having cost
        /// `probes` requests.
        case ended(Ban, lasted: Duration, probes: Int)
    }

    /// The policy in force.
    public let policy: Policy
    /// The ban in force, if any.
    public private(set) var ban: Ban?
    /// Whether a probe is in flight.
    public private(set) var probeInFlight = false
    /// When the next probe may go.
    public private(set) var nextProbeAt: Duration?
    /// The probes sent during the ban in force.
    public private(set) var probes = 0
    /// The schedule's wait for the next refused probe (before any `Retry-After`).
    private var backoff: Duration = .zero

    /// A machine with no ban.
    public init(policy: Policy = .stop) {
        self.policy = policy
    }

    /// Whether an answer is the edge's refusal rather than Discord's: a 429 or 403 whose body is not Discord's JSON
    /// error object and which carries no `X-RateLimit-*` header. Discord's own 429 always has its JSON body and
    /// (but for a global one) its bucket headers; its own 403 has a JSON body with a code (50001, 50013). A 401 is
    /// never taken for a ban: the reference names 429 and 403 as the ban's answers, and whatever sent a 401, the
    /// client already stops sending with that token.
    public static func isRefusal(status: Int, headers: RateLimitHeaders, hasDiscordErrorBody: Bool) -> Bool {
        guard status == 429 || status == 403, !hasDiscordErrorBody else { return false }
        return headers.bucket == nil && headers.limit == nil && headers.remaining == nil
            && headers.resetAfter == nil && !headers.isGlobal && headers.scope == nil
    }

    /// Decides whether a request may be sent at `now`. A caller that does not wait (`waits` false: a scheduled job
    /// of a long-running command, which fails and runs again at its next time) is refused during a ban, but under
    /// `.waitOut` it is the probe when one is due (a process whose callers never wait still learns the ban's end).
    public mutating func admit(now: Duration, waits: Bool = true) -> Admission {
        guard let ban else { return .send }
        guard case .waitOut = policy else { return .refuse(ban) }
        if probeInFlight { return waits ? .waitForProbe : .refuse(ban) }
        if let due = nextProbeAt, now < due { return waits ? .wait(until: due) : .refuse(ban) }
        probeInFlight = true
        probes += 1
        return .probe
    }

    /// Reports the edge's refusal of a request (`probe`: the one ``admit(now:)`` named a probe). Returns
    /// ``Change/began(_:)`` for the refusal that began a ban.
    public mutating func refused(status: Int, retryAfter: Duration?, probe: Bool, now: Duration) -> Change? {
        guard let current = ban else {
            let began = Ban(status: status, since: now, retryAfter: retryAfter)
            ban = began
            probes = 0
            probeInFlight = false
            backoff = schedule.first
            nextProbeAt = now + max(backoff, retryAfter ?? .zero)
            return .began(began)
        }
        if let retryAfter { ban = Ban(status: current.status, since: current.since, retryAfter: retryAfter) }
        guard probe else { return nil }
        // Refused again: the next probe waits longer.
        probeInFlight = false
        backoff = min(schedule.longest, backoff * schedule.multiplier)
        nextProbeAt = now + max(backoff, retryAfter ?? .zero)
        return nil
    }

    /// Reports an answer from Discord itself (not a refusal, not a 5xx). A probe's answer ends the ban.
    public mutating func answered(probe: Bool, now: Duration) -> Change? {
        guard probe, let ended = ban else { return nil }
        let change = Change.ended(ended, lasted: now - ended.since, probes: probes)
        ban = nil
        probeInFlight = false
        nextProbeAt = nil
        probes = 0
        return change
    }

    /// Reports that the request ``admit(now:)`` named the probe was not sent after all (cancelled, or refused by the
    /// limiter): the next request may probe at once.
    public mutating func probeWithdrawn() {
        guard probeInFlight else { return }
        probeInFlight = false
        probes -= 1
    }

    /// Reports a request that got no answer, or a 5xx: says nothing of the ban. A probe is tried again after the
    /// same wait.
    public mutating func unanswered(probe: Bool, now: Duration) {
        guard probe, ban != nil else { return }
        probeInFlight = false
        nextProbeAt = now + backoff
    }

    private var schedule: ProbeSchedule {
        if case .waitOut(let schedule) = policy { return schedule }
        return ProbeSchedule()
    }
}
