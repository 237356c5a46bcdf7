import Logging
import Synchronization

/// The process's record of Discord's edge refusing its IP address, shared by every ``DiscordClient`` given it (the
/// ban is per address, not per token): runs an ``EdgeRefusalStateMachine`` on an injected clock. Every request asks
/// here before the rate limiter; under ``EdgeRefusalStateMachine/Policy/stop`` a ban fails every later request
/// without sending it, under ``EdgeRefusalStateMachine/Policy/waitOut(_:)`` requests wait while one probe at a time
/// tests the edge, and go on once it answers.
///
/// ```swift
/// let gate = EdgeRefusalGate(policy: .waitOut(.init()), clock: ContinuousClock()) { change in
///     print(EdgeRefusalGate.describe(change))       // one line when a ban begins, one when it ends
/// }
/// var clients = DiscordClientFactory(apiBase: apiBase)
/// clients.edgeRefusals = gate                       // every client the factory makes shares it
/// ```
public final class EdgeRefusalGate: Sendable {
    fileprivate struct State {
        var machine: EdgeRefusalStateMachine
        /// Requests waiting for the probe in flight to be answered.
        var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var nextWaiter: UInt64 = 0
    }

    /// The state every view of the gate shares (``failingFast()``).
    private final class Shared: Sendable {
        let state: Mutex<State>
        init(_ state: State) { self.state = Mutex(state) }
    }

    private let shared: Shared
    private let elapsed: @Sendable () -> Duration
    private let sleepUntil: @Sendable (Duration) async throws -> Void
    private let report: @Sendable (EdgeRefusalStateMachine.Change) -> Void
    /// Whether this view's requests wait a ban out (under `.waitOut`), or fail at once.
    public let waitsOut: Bool

    /// A gate on `clock` with `policy`; `report` hears of a ban's beginning and end under `.waitOut` (by default a
    /// warning on `logger`).
    public init<C: Clock>(
        policy: EdgeRefusalStateMachine.Policy, clock: C, logger: Logger = Logger(label: "skald.discord-rest"),
        report: (@Sendable (EdgeRefusalStateMachine.Change) -> Void)? = nil
    ) where C.Duration == Duration {
        self.policy = policy
        shared = Shared(State(machine: EdgeRefusalStateMachine(policy: policy)))
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleepUntil = { instant in try await clock.sleep(until: origin.advanced(by: instant), tolerance: nil) }
        self.report = report ?? { change in logger.warning("\(EdgeRefusalGate.describe(change))") }
        waitsOut = { if case .waitOut = policy { return true } else { return false } }()
    }

    private init(sharing gate: EdgeRefusalGate) {
        policy = gate.policy
        shared = gate.shared
        elapsed = gate.elapsed
        sleepUntil = gate.sleepUntil
        report = gate.report
        waitsOut = false
    }

    /// The same record for requests that must not wait a ban out (a long-running command's scheduled jobs and media
    /// downloads, which its shutdown waits for): during a ban they fail at once with the ban, as a one-shot command's
    /// do, and run again at their next time; what they learn (a refusal) is the whole process's.
    public func failingFast() -> EdgeRefusalGate {
        EdgeRefusalGate(sharing: self)
    }

    /// The policy in force.
    public let policy: EdgeRefusalStateMachine.Policy

    /// The ban in force, if any.
    public var ban: EdgeRefusalStateMachine.Ban? { shared.state.withLock { $0.machine.ban } }

    /// The gate's time: the duration since it was made.
    public var now: Duration { elapsed() }

    /// Waits until a request may be sent; returns whether it is the ban's probe (report its outcome with
    /// ``refused(status:retryAfter:probe:)``, ``answered(probe:)``, ``unanswered(probe:)`` or ``withdraw(probe:)``).
    /// Without a ban it returns at once.
    /// - Throws: the ban (``EdgeRefusalStateMachine/Ban``) under `.stop`; `CancellationError`.
    func admit() async throws -> Bool {
        while true {
            // Without a ban (nearly always) no time is read.
            let admission = shared.state.withLock { state in
                state.machine.ban == nil ? .send : state.machine.admit(now: elapsed(), waits: waitsOut)
            }
            switch admission {
            case .send: return false
            case .probe: return true
            case .refuse(let ban): throw BanInForce(ban: ban)
            case .wait(let until): try await sleepUntil(until)
            case .waitForProbe: try await waitForProbe()
            }
        }
    }

    /// The edge refused a request. Returns the ban in force.
    @discardableResult
    func refused(status: Int, retryAfter: Duration?, probe: Bool) -> EdgeRefusalStateMachine.Ban? {
        let now = elapsed()
        let (change, ban) = shared.state.withLock { state in
            let change = state.machine.refused(status: status, retryAfter: retryAfter, probe: probe, now: now)
            return (change, state.machine.ban)
        }
        if let change, case .waitOut = policy { report(change) }
        wakeWaiters()
        return ban
    }

    /// Discord itself answered a request (not a 5xx): a probe's answer ends the ban.
    func answered(probe: Bool) {
        guard probe else { return }
        let now = elapsed()
        let change = shared.state.withLock { $0.machine.answered(probe: true, now: now) }
        if let change { report(change) }
        wakeWaiters()
    }

    /// A request got no answer, or a 5xx: a probe goes again after the same wait.
    func unanswered(probe: Bool) {
        guard probe else { return }
        let now = elapsed()
        shared.state.withLock { $0.machine.unanswered(probe: true, now: now) }
        wakeWaiters()
    }

    /// A request admitted was not sent after all: the next one may probe.
    func withdraw(probe: Bool) {
        guard probe else { return }
        shared.state.withLock { $0.machine.probeWithdrawn() }
        wakeWaiters()
    }

    /// Suspends until the probe in flight is answered (or at once, if it already was).
    private func waitForProbe() async throws {
        let id = shared.state.withLock { state -> UInt64 in
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let waiting = shared.state.withLock { state -> Bool in
                    guard state.machine.probeInFlight, !Task.isCancelled else { return false }
                    state.waiters[id] = continuation
                    return true
                }
                if !waiting {
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else {
                        continuation.resume()
                    }
                }
            }
        } onCancel: {
            let waiter = shared.state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// The probe's outcome is in: every waiting request asks again.
    private func wakeWaiters() {
        let waiters = shared.state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            guard !state.machine.probeInFlight else { return [] }
            defer { state.waiters.removeAll() }
            return state.waiters.sorted { $0.key < $1.key }.map(\.value)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The ban a `.stop` gate refuses a request for (the client turns it into ``DiscordRESTError``).
    struct BanInForce: Error {
        let ban: EdgeRefusalStateMachine.Ban
    }

    /// A change in one line, for a long-running command's log.
    public static func describe(_ change: EdgeRefusalStateMachine.Change) -> String {
        switch change {
        case .began(let ban):
            return "Discord's edge is refusing requests from this IP address (HTTP \(ban.status) without Discord's "
                + "JSON or rate-limit headers): an invalid-request ban, from this or another program on the address; "
                + "it usually lasts about an hour"
                + (ban.retryAfter.map { " (this one asks to wait \(words($0)))" } ?? "")
                + ". REST requests are paused and the edge is probed every few minutes; a connected gateway stays up"
        case .ended(_, let lasted, let probes):
            return "Discord's edge accepts requests again after \(words(lasted)) (\(probes) probe"
                + "\(probes == 1 ? "" : "s")); REST resumes and the paused work goes on"
        }
    }

    /// A duration in words: `45 s`, `12 min`.
    static func words(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        if seconds >= 120 { return "\(Int((seconds / 60).rounded())) min" }
        return "\(Int(seconds.rounded(.up))) s"
    }
}
