/// The gateway session's logic as a pure state machine: no sockets, no clocks. Time is a `Duration` since the
/// client started, passed in by the caller; every decision comes back as actions, and ``nextDeadline`` says when
/// to call ``tick(now:)``.
///
/// ```swift
/// var machine = GatewaySessionStateMachine(gatewayURL: url, resume: stored)
/// execute(machine.start(now: .zero))            // [.connect(url)]
/// execute(machine.connected(now: t))            // waits for HELLO
/// execute(machine.receivedHello(interval: .milliseconds(41_250), now: t))   // [.sendResume(...)] or identify
/// ```
///
/// Rules (reference §7):
/// - The first heartbeat goes after `interval × jitter`, then every interval with the last sequence; a beat
///   that finds the previous one unacknowledged closes the connection (zombie) and resumes.
/// - A stored session resumes on its `resume_gateway_url`; op 9 `false`, 4007 and 4009 clear it and identify
///   again on the gateway URL after 1–5 s, and so does a resume URL that cannot be opened
///   (after a few attempts); 4004 and 4010–4014 are fatal.
/// - IDENTIFY honours `max_concurrency` per 5 s and the daily budget; reconnects back off exponentially with
///   jitter, reset by READY or RESUMED.
/// - ``stop(now:)`` closes with 4000, a code that keeps the session resumable (1000 and 1001 end it).
/// - A close this side starts (stop, zombie, op 7, op 9) waits at most ``Configuration/closeTimeout`` for the
///   connection to end: a peer that never answers the close (a dead link, a server that stopped reading) would
///   otherwise hold a stop, or the reconnect after a zombie, for ever. Past it the connection is abandoned.
/// - A connection must say HELLO within ``Configuration/helloTimeout`` of being opened (Discord sends it at once):
///   one that never opens, or opens and stays silent, is abandoned and retried like a dropped one.
public struct GatewaySessionStateMachine: Sendable {
    /// Tunables.
    public struct Configuration: Sendable, Hashable {
        /// First reconnect delay after a failed attempt; doubles per attempt.
        public var backoffBase: Duration = .seconds(1)
        /// Longest reconnect delay.
        public var backoffMax: Duration = .seconds(60)
        /// The window of `max_concurrency`: Discord's 5 s plus a margin, because the gateway starts counting when
        /// it receives an IDENTIFY, a little after the client sent it.
        public var identifyWindow: Duration = .milliseconds(5_500)
        /// Wait range before identifying again after op 9 (Discord: 1–5 s).
        public var invalidSessionDelay: ClosedRange<Double> = 1...5
        /// Seed of the jitter generator: random, so that clients (and the shards of one process) do not beat and
        /// reconnect in step, which is what the jitter is for (gateway.mdx, "Heartbeat Interval"); tests pin it.
        /// It was a constant: every process drew the same "random" first beat.
        public var seed = UInt64.random(in: .min ... .max)
        /// Consecutive failed attempts to open the session's `resume_gateway_url` before giving the session up and
        /// identifying on the gateway URL (gateway.mdx, "Handling a Disconnect": if the reconnect fails, open a new
        /// connection on the cached URL and identify). A few, so that a network blip does not cost the session.
        public var resumeConnectAttempts = 3
        /// Payloads a connection may send per ``sendWindow`` (gateway.mdx, "Rate Limiting": 120 per 60 s, else the
        /// connection is closed with 4008 and repeat offenders lose API access).
        public var sendLimit = 120
        /// The window of ``sendLimit``.
        public var sendWindow: Duration = .seconds(60)
        /// Sends kept for IDENTIFY, RESUME and the scheduled heartbeats: answers to the server's op 1 stop short of
        /// the limit by this many (the next scheduled beat answers for them).
        public var sendReserve = 10
        /// How long a close this side sent waits for the connection to end before abandoning it (the WebSocket
        /// client's own close timeout only runs once its reader stops, which a close from the writer never makes it
        /// do).
        public var closeTimeout: Duration = .seconds(5)
        /// How long a connection may take from the connect to HELLO (Discord sends HELLO as soon as the WebSocket is
        /// open). Past it the connection is abandoned and retried with backoff, and a resume URL that never answers
        /// counts as one that cannot be opened. Without it a connection that opened and said nothing (or never
        /// finished opening) held `watch`, `bot` and `mirror` for ever.
        public var helloTimeout: Duration = .seconds(30)
        /// Creates the default configuration.
        public init() {}
    }

    /// What the caller does next.
    public enum Action: Sendable, Hashable {
        /// Open a WebSocket to this URL (the query `?v=10&encoding=json` is the caller's).
        case connect(url: String)
        /// Send op 1 with this sequence.
        case sendHeartbeat(sequence: Int?)
        /// Send op 2.
        case sendIdentify
        /// Send op 6 with this state.
        case sendResume(GatewayResumeState)
        /// Close the WebSocket with this code (the caller then reports ``closed(code:now:)``).
        case close(code: UInt16)
        /// The connection did not end within ``Configuration/closeTimeout`` of its close, or said no HELLO within
        /// ``Configuration/helloTimeout``: tear it down without waiting any longer; anything it reports afterwards is
        /// stale.
        case abandonConnection(Abandoned)
        /// The session is live: READY (`resumed` false, events may have been missed) or RESUMED.
        case ready(GatewayResumeState, resumed: Bool)
        /// The stored session is gone: the next READY starts a new one, and what happened between is only in REST.
        case sessionInvalidated
        /// Give up: do not reconnect.
        case fail(closeCode: UInt16?)
        /// Stopped on request; nothing more will happen.
        case stopped
    }

    /// Why a connection is abandoned.
    public enum Abandoned: Sendable, Hashable {
        /// A close this side sent was not answered within ``Configuration/closeTimeout``.
        case closeUnanswered
        /// The connection did not say HELLO within ``Configuration/helloTimeout`` of the connect.
        case noHello
    }

    enum Phase: Sendable, Hashable {
        case idle
        case waitingToConnect(until: Duration)
        case connecting
        case awaitingHello
        case waitingToIdentify(until: Duration)
        case identifying
        case resuming
        case running
        case closing
        case stopping
        case finished
    }

    /// The tunables in use.
    public let configuration: Configuration
    let gatewayURL: String
    private(set) var phase: Phase = .idle
    /// The resumable session, if any.
    public private(set) var session: GatewayResumeState?
    /// The last sequence received on the current session.
    public private(set) var sequence: Int?
    private var heartbeatInterval: Duration?
    private var nextHeartbeat: Duration?
    private var awaitingAck = false
    private var attempts = 0
    /// When this connection sent each payload within the last ``Configuration/sendWindow``.
    private var sendTimes: [Duration] = []
    /// Consecutive connections to the resume URL that could not be opened.
    private var resumeConnectFailures = 0
    /// What the next reconnect does after the current connection closes, when a payload decided it.
    private var afterClose: GatewayCloseDecision?
    private var identifyTimes: [Duration] = []
    private var identifiesRemaining: Int = .max
    private var identifyBudgetResetAt: Duration?
    private var maxConcurrency = 1
    private var random: UInt64
    /// When a close this side sent stops waiting for the connection to end (set while `closing` or `stopping`).
    private var closeDeadline: Duration?
    /// When the connection being opened must have said HELLO (counts while `connecting` or `awaitingHello`).
    private var helloDeadline: Duration?

    /// A machine that connects to `gatewayURL`, resuming `resume` when given.
    public init(gatewayURL: String, resume: GatewayResumeState?, configuration: Configuration = Configuration()) {
        self.gatewayURL = gatewayURL
        self.session = resume
        self.sequence = resume?.sequence
        self.configuration = configuration
        self.random = configuration.seed
    }

    /// The time at which ``tick(now:)`` has something to do, if any.
    public var nextDeadline: Duration? {
        var deadlines: [Duration] = []
        switch phase {
        case .waitingToConnect(let until), .waitingToIdentify(let until): deadlines.append(until)
        default: break
        }
        if let nextHeartbeat, isConnected { deadlines.append(nextHeartbeat) }
        if let closeDeadline { deadlines.append(closeDeadline) }
        if let helloDeadline, isOpening { deadlines.append(helloDeadline) }
        return deadlines.min()
    }

    var isConnected: Bool {
        switch phase {
        case .awaitingHello, .waitingToIdentify, .identifying, .resuming, .running: true
        default: false
        }
    }

    /// Whether this side sent a close and waits for the connection to end: a READY or RESUMED already on its way
    /// still counts (its session is real) but must not bring the connection back to `running`. It did: a stop sent
    /// while resuming, followed by the RESUMED in flight, was lost, and the answer to the close reconnected.
    var isClosing: Bool { phase == .closing || phase == .stopping }

    /// Whether a connection is being opened and has not said HELLO yet.
    var isOpening: Bool { phase == .connecting || phase == .awaitingHello }

    /// Whether the machine gave up or stopped.
    public var isFinished: Bool { phase == .finished }

    // MARK: Identify budget

    /// The budget from `GET /gateway/bot`: identifies left, when the budget resets and `max_concurrency`.
    public mutating func setIdentifyBudget(remaining: Int, resetAfter: Duration, maxConcurrency: Int, now: Duration) {
        identifiesRemaining = remaining
        identifyBudgetResetAt = now + resetAfter
        self.maxConcurrency = max(1, maxConcurrency)
    }

    /// When an IDENTIFY may be sent, `now` if at once.
    func identifyAllowed(at now: Duration) -> Duration {
        var at = now
        if identifiesRemaining <= 0, let reset = identifyBudgetResetAt { at = max(at, reset) }
        let recent = identifyTimes.filter { now - $0 < configuration.identifyWindow }
        if recent.count >= maxConcurrency, let oldest = recent.min() {
            at = max(at, oldest + configuration.identifyWindow)
        }
        return at
    }

    // MARK: Inputs

    /// Starts: connect now.
    public mutating func start(now: Duration) -> [Action] {
        guard phase == .idle else { return [] }
        return [connect(now: now)]
    }

    /// Opens a connection, which must say HELLO by ``Configuration/helloTimeout`` from now.
    private mutating func connect(now: Duration) -> Action {
        phase = .connecting
        helloDeadline = now + configuration.helloTimeout
        return .connect(url: connectURL)
    }

    var connectURL: String { session?.resumeURL ?? gatewayURL }

    /// The WebSocket is open; HELLO comes next.
    public mutating func connected(now: Duration) -> [Action] {
        guard phase == .connecting else { return [] }
        phase = .awaitingHello
        sendTimes = []
        awaitingAck = false
        nextHeartbeat = nil
        afterClose = nil
        return []
    }

    /// The WebSocket could not be opened. After ``Configuration/resumeConnectAttempts`` failures on the session's
    /// resume URL the session is given up: the next connection identifies on the gateway URL. Before, a resume host
    /// that no longer answered (a session stored by an earlier run) was retried for ever and the watch never
    /// reconnected.
    public mutating func connectFailed(now: Duration) -> [Action] {
        guard phase == .connecting else { return [] }
        nextHeartbeat = nil
        awaitingAck = false
        closeDeadline = nil
        guard let session, session.resumeURL != gatewayURL else { return scheduleReconnect(now: now) }
        resumeConnectFailures += 1
        guard resumeConnectFailures >= configuration.resumeConnectAttempts else { return scheduleReconnect(now: now) }
        resumeConnectFailures = 0
        self.session = nil
        sequence = nil
        return [.sessionInvalidated] + scheduleReconnect(now: now)
    }

    /// HELLO: start heartbeating, then resume or identify.
    public mutating func receivedHello(interval: Duration, now: Duration) -> [Action] {
        guard phase == .awaitingHello else { return [] }
        helloDeadline = nil
        resumeConnectFailures = 0
        heartbeatInterval = interval
        nextHeartbeat = now + interval * nextJitter()
        if let session {
            phase = .resuming
            var state = session
            state.sequence = sequence ?? session.sequence
            sendTimes.append(now)
            return [.sendResume(state)]
        }
        return identifyNowOrLater(now: now)
    }

    private mutating func identifyNowOrLater(now: Duration) -> [Action] {
        let at = identifyAllowed(at: now)
        if at > now {
            phase = .waitingToIdentify(until: at)
            return []
        }
        phase = .identifying
        identifyTimes = identifyTimes.filter { now - $0 < configuration.identifyWindow } + [now]
        sendTimes.append(now)
        if identifiesRemaining != .max { identifiesRemaining -= 1 }
        return [.sendIdentify]
    }

    /// Op 11.
    public mutating func receivedHeartbeatAck(now: Duration) -> [Action] {
        awaitingAck = false
        return []
    }

    /// Op 1 from the server: beat now.
    public mutating func receivedHeartbeatRequest(now: Duration) -> [Action] {
        // A server asking faster than the limit allows (130 requests in 10 s from the fake) got every answer and
        // closed the connection with 4008; past the reserve the scheduled beat answers.
        guard isConnected, sends(now: now) < configuration.sendLimit - configuration.sendReserve else { return [] }
        sendTimes.append(now)
        return [.sendHeartbeat(sequence: sequence)]
    }

    /// A dispatch with its sequence (call before handing the event on).
    public mutating func receivedDispatch(sequence: Int?, now: Duration) -> [Action] {
        if let sequence { self.sequence = max(self.sequence ?? 0, sequence) }
        return []
    }

    /// READY: a new session.
    public mutating func receivedReady(sessionId: String, resumeURL: String, sequence: Int?, now: Duration)
        -> [Action]
    {
        if let sequence { self.sequence = sequence }
        let state = GatewayResumeState(sessionId: sessionId, sequence: self.sequence ?? 0, resumeURL: resumeURL)
        session = state
        if !isClosing {
            phase = .running
            attempts = 0
        }
        return [.ready(state, resumed: false)]
    }

    /// RESUMED: the replay is complete.
    public mutating func receivedResumed(sequence: Int?, now: Duration) -> [Action] {
        if let sequence { self.sequence = max(self.sequence ?? 0, sequence) }
        guard var state = session else { return [] }
        state.sequence = self.sequence ?? state.sequence
        session = state
        if !isClosing {
            phase = .running
            attempts = 0
        }
        return [.ready(state, resumed: true)]
    }

    /// Op 7: close and resume.
    public mutating func receivedReconnect(now: Duration) -> [Action] {
        guard isConnected else { return [] }
        phase = .closing
        afterClose = .resume
        return closing(now: now)
    }

    /// Op 9: resume when `resumable`, otherwise forget the session and identify again after 1–5 s.
    public mutating func receivedInvalidSession(resumable: Bool, now: Duration) -> [Action] {
        guard isConnected else { return [] }
        phase = .closing
        if resumable && session != nil {
            afterClose = .resume
            return closing(now: now)
        }
        afterClose = .identify
        let hadSession = session != nil
        session = nil
        sequence = nil
        return (hadSession ? [.sessionInvalidated] : []) + closing(now: now)
    }

    /// Time passed: heartbeat, zombie detection, delayed connect or identify.
    public mutating func tick(now: Duration) -> [Action] {
        var actions: [Action] = []
        if let closeDeadline, closeDeadline <= now {
            // The close was never answered: give up on the connection as if it had dropped.
            return [.abandonConnection(.closeUnanswered)] + closed(code: nil, now: now)
        }
        if let helloDeadline, isOpening, helloDeadline <= now {
            // Never opened, or opened and silent: it never carried a session, so it counts as a connection that could
            // not be opened (a resume URL that only ever does this is given up after a few attempts).
            phase = .connecting
            return [.abandonConnection(.noHello)] + closed(code: nil, now: now)
        }
        switch phase {
        case .waitingToConnect(let until) where until <= now:
            return [connect(now: now)]
        case .waitingToIdentify(let until) where until <= now:
            actions += identifyNowOrLater(now: now)
        default: break
        }
        if isConnected, let interval = heartbeatInterval, let due = nextHeartbeat, due <= now {
            if awaitingAck {
                // No ACK since the last beat: a zombie connection. Close it and resume.
                phase = .closing
                afterClose = .resume
                nextHeartbeat = nil
                return actions + closing(now: now)
            }
            if sends(now: now) >= configuration.sendLimit, let oldest = sendTimes.first {
                // The limit is spent (a heartbeat interval under half a second): beat when a send leaves the window.
                nextHeartbeat = oldest + configuration.sendWindow
                return actions
            }
            awaitingAck = true
            nextHeartbeat = now + interval
            sendTimes.append(now)
            actions.append(.sendHeartbeat(sequence: sequence))
        }
        return actions
    }

    /// The WebSocket closed (`code` nil: dropped without a close frame).
    public mutating func closed(code: UInt16?, now: Duration) -> [Action] {
        nextHeartbeat = nil
        awaitingAck = false
        closeDeadline = nil
        helloDeadline = nil
        switch phase {
        case .stopping:
            phase = .finished
            return [.stopped]
        case .finished, .idle, .waitingToConnect:
            return []
        case .connecting:
            // Never opened: a failed connect, not a closed session.
            return connectFailed(now: now)
        default: break
        }
        let decision = afterClose ?? GatewayCloseDecision.forCode(code)
        afterClose = nil
        switch decision {
        case .fail:
            phase = .finished
            return [.fail(closeCode: code)]
        case .identify:
            var actions: [Action] = []
            if session != nil { actions.append(.sessionInvalidated) }
            session = nil
            sequence = nil
            let delay = Duration.seconds(
                configuration.invalidSessionDelay.lowerBound
                    + (configuration.invalidSessionDelay.upperBound - configuration.invalidSessionDelay.lowerBound)
                    * nextJitter())
            phase = .waitingToConnect(until: now + delay)
            return actions
        case .resume:
            return scheduleReconnect(now: now)
        }
    }

    private mutating func scheduleReconnect(now: Duration) -> [Action] {
        let delay: Duration
        if attempts == 0 {
            delay = .zero
        } else {
            let exponent = min(attempts - 1, 16)
            let raw = configuration.backoffBase * (1 << exponent)
            delay = min(raw, configuration.backoffMax) * (0.5 + 0.5 * nextJitter())
        }
        attempts += 1
        if delay == .zero { return [connect(now: now)] }
        phase = .waitingToConnect(until: now + delay)
        return []
    }

    /// Stop on request (SIGINT/SIGTERM): close with 4000 so the session stays resumable.
    public mutating func stop(now: Duration) -> [Action] {
        switch phase {
        case .finished, .stopping: return []
        case .idle, .waitingToConnect, .connecting:
            phase = .finished
            return [.stopped]
        default:
            phase = .stopping
            return closing(now: now)
        }
    }

    /// Sends a close (the phase is `closing` or `stopping`) and starts waiting for the connection to end; a close
    /// already waited for keeps its deadline.
    private mutating func closing(now: Duration) -> [Action] {
        if closeDeadline == nil { closeDeadline = now + configuration.closeTimeout }
        return [.close(code: 4000)]
    }

    /// The payloads sent on this connection within the last ``Configuration/sendWindow`` (older ones are forgotten).
    private mutating func sends(now: Duration) -> Int {
        let window = configuration.sendWindow
        sendTimes.removeAll { now - $0 >= window }
        return sendTimes.count
    }

    // MARK: Jitter

    /// A value in [0, 1) from a SplitMix64 sequence (deterministic per seed).
    private mutating func nextJitter() -> Double {
        random &+= 0x9E37_79B9_7F4A_7C15
        var z = random
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }
}
