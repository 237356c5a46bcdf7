import Logging

/// Runs a ``RateLimitStateMachine`` against a real (or test) clock: callers wait here until they may send.
///
/// One limiter per token: every client of a token shares it (``TokenRateLimiters``), never through a `static`.
///
/// ```swift
/// let limiter = RateLimiter(clock: ContinuousClock())
/// let permit = try await limiter.acquire(route)
/// // … send …
/// let verdict = await limiter.complete(permit, response: response)
/// ```
public actor RateLimiter<C: Clock> where C.Duration == Duration {
    private var machine: RateLimitStateMachine
    private let clock: C
    private let origin: C.Instant
    /// A caller waiting for its permit.
    private struct Waiter {
        let route: RouteKey
        let workLeft: Int?
        /// The invalid-request budget of the caller's client (``acquire(_:ledger:)``).
        let ledger: InvalidRequestLedger?
        let continuation: CheckedContinuation<RateLimitStateMachine.Permit, any Error>
    }

    /// Callers waiting for a permit, by arrival (the order they ask again in at one instant).
    private var waiters: [UInt64: Waiter] = [:]
    /// The instant each waiter that is not waiting for an answer waits for (kept apart from ``waiters``: looking for
    /// the waiters due copies no route).
    private var deadlines: [UInt64: Duration] = [:]
    /// The waiters parked in the machine's global queue (``RateLimitStateMachine/takeGlobalTurns(now:)`` wakes them).
    private var parkedForGlobal: Set<UInt64> = []
    private var nextWaiterID: UInt64 = 0
    /// The timer of each instant callers wait for.
    private var timers: [Duration: Task<Void, Never>] = [:]
    /// The one timer of the global queue: the instant its next slot frees (or a global 429's pause ends).
    private var globalTimer: (at: Duration, task: Task<Void, Never>)?
    /// Tests waiting for a number of waiting callers (all of them, or those waiting for an answer only).
    private var watchers: [(count: Int, answerOnly: Bool, continuation: CheckedContinuation<Void, Never>)] = []
    private let logger: Logger
    private let ledger: InvalidRequestLedger?
    private var wasSlowed = false
    /// The last round trip (send to answer, the limiter's own waits excluded) of each route.
    private var roundTrips: [RouteKey: Duration] = [:]

    /// Creates a limiter. `ledger`, when given, is the process-wide invalid-request budget shared with the other
    /// tokens' limiters, for the calls that name none (the clients sharing a limiter may each count in their own:
    /// ``acquire(_:ledger:)``).
    public init(
        configuration: RateLimitStateMachine.Configuration = .init(), clock: C,
        logger: Logger = Logger(label: "skald.discord-rest.limiter"), ledger: InvalidRequestLedger? = nil
    ) {
        self.machine = RateLimitStateMachine(configuration: configuration)
        self.clock = clock
        self.origin = clock.now
        self.logger = logger
        self.ledger = ledger
    }

    /// Limiter time: the duration since the limiter was created.
    public var now: Duration { origin.duration(to: clock.now) }

    /// Waits until `route` may be sent and returns the permit. The caller's ``RequestPriority/workLeft`` decides who
    /// takes a binding route limit's next slot; `ledger` is the invalid-request budget the request counts in (`nil`:
    /// the limiter's own, if it was given one).
    /// - Throws: ``DiscordRESTError`` when the request must not be sent at all; `CancellationError`.
    public func acquire(_ route: RouteKey, ledger: InvalidRequestLedger? = nil) async throws
        -> RateLimitStateMachine.Permit
    {
        let ledger = ledger ?? self.ledger
        let workLeft = RequestPriority.workLeft
        try Task.checkCancellation()
        // The caller's waiter id, given before it first asks: the global queue orders its callers by it.
        nextWaiterID &+= 1
        let id = nextWaiterID
        switch try decide(route, workLeft: workLeft, waiter: id, ledger: ledger) {
        case .send(let permit):
            return permit
        case .wait(let wake):
            let permit = try await wait(id, route, workLeft: workLeft, ledger: ledger, wake: wake)
            // Granted while its task was being cancelled: the slot goes back, as for a request that failed unsent.
            if Task.isCancelled {
                cancel(permit)
                throw CancellationError()
            }
            return permit
        }
    }

    /// What ``decide(_:workLeft:waiter:)`` tells a caller.
    private enum Decision {
        case send(RateLimitStateMachine.Permit)
        case wait(Wake)
    }

    /// When a waiting caller asks again.
    private enum Wake {
        /// At this instant (limiter time).
        case at(Duration)
        /// After the next answer.
        case afterAnswer
        /// When the machine's global queue names it.
        case globalSlot
    }

    /// Asks the machine whether `route` may be sent now for caller `waiter`.
    /// - Throws: ``DiscordRESTError`` when the request must not be sent at all.
    private func decide(_ route: RouteKey, workLeft: Int?, waiter: UInt64, ledger: InvalidRequestLedger?) throws
        -> Decision
    {
        if let ledger, ledger.isExhausted() {
            throw DiscordRESTError.invalidRequestBudgetExhausted(
                route: route.templateKey, count: ledger.invalidCount(), limit: ledger.limit, processWide: true)
        }
        switch machine.acquire(route, now: now, workLeft: workLeft, waiter: waiter) {
        case .send(let permit):
            ledger?.recordRequest()
            logger.trace("sent", metadata: traceMetadata(permit))
            if machine.slowed != wasSlowed {
                wasSlowed = machine.slowed
                logger.warning(
                    wasSlowed
                        ? "more than 1% of recent requests were invalid (401/403/429): rates halved"
                        : "invalid responses back under 1% of requests: full rates")
            }
            return .send(permit)
        case .wait(let until):
            return .wait(.at(until))
        case .waitForResponse:
            return .wait(.afterAnswer)
        case .waitForGlobalSlot:
            return .wait(.globalSlot)
        case .refuse(let refusal):
            throw Self.error(for: refusal, route: route)
        }
    }

    /// Suspends caller `id` until the limiter grants it a permit, asking again for it at `wake`. The limiter asks on
    /// the caller's behalf, on its own actor: a caller whose turn has not come stays asleep (no task woken per answer
    /// or per freed slot only to wait again), the callers waiting for one instant share one timer, and those parked
    /// for a global slot are asked again only when a slot is theirs.
    private func wait(
        _ id: UInt64, _ route: RouteKey, workLeft: Int?, ledger: InvalidRequestLedger?, wake: Wake
    ) async throws -> RateLimitStateMachine.Permit {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    machine.withdraw(waiter: id)
                    continuation.resume(throwing: CancellationError())
                    return
                }
                waiters[id] = Waiter(route: route, workLeft: workLeft, ledger: ledger, continuation: continuation)
                waiting(id, wake: wake)
                guard case .globalSlot = wake else { return }
                // Taken out of the queue before it was registered (never, as nothing suspends between its ask and
                // here; were it, its turn would be lost): it asks again at once. Then the queue's timer is set.
                if !machine.isParked(waiter: id) { askAgain(id) }
                serviceGlobalQueue()
            }
        } onCancel: {
            Task { await self.withdraw(id) }
        }
    }

    /// Waiter `id` now waits for `wake`: an instant (a timer runs for each instant waited for), an answer, or its
    /// turn in the global queue.
    private func waiting(_ id: UInt64, wake: Wake) {
        deadlines[id] = nil
        parkedForGlobal.remove(id)
        let deadline: Duration
        switch wake {
        case .at(let instant):
            deadline = instant
        case .afterAnswer:
            notifyWatchers()
            return
        case .globalSlot:
            parkedForGlobal.insert(id)
            notifyWatchers()
            return
        }
        deadlines[id] = deadline
        if timers[deadline] == nil {
            // Cancelled (nobody waits for this instant any more, ``withdraw(_:)``): it never fires.
            timers[deadline] = timer(at: deadline, firing: .waiters)
        }
        notifyWatchers()
    }

    /// The timer of `deadline` fired: every caller whose instant has come asks again, earliest instant first.
    private func timerFired(_ deadline: Duration) {
        timers[deadline] = nil
        // The callers of this instant ask even if the clock woke the timer a hair early (their timer is gone: they
        // would otherwise wait for ever); asked too early, the machine tells them when again.
        let now = max(now, deadline)
        let due = deadlines.filter { $0.value <= now }.sorted { ($0.value, $0.key) < ($1.value, $1.key) }
        for (id, _) in due { askAgain(id) }
        serviceGlobalQueue()
    }

    /// Asks again for the parked callers whose turn has come, as long as the global limit has slots for them, then
    /// sets the queue's one timer for the next turn (or none: the next answer takes the turns again).
    private func serviceGlobalQueue() {
        var turns = machine.takeGlobalTurns(now: now)
        while !turns.due.isEmpty {
            for id in turns.due {
                parkedForGlobal.remove(id)
                askAgain(id)
            }
            turns = machine.takeGlobalTurns(now: now)
        }
        guard case .at(let instant) = turns.next else {
            globalTimer?.task.cancel()
            globalTimer = nil
            return
        }
        if globalTimer?.at == instant { return }
        globalTimer?.task.cancel()
        // Cancelled (the turn moved, or nobody is parked any more): it never fires.
        globalTimer = (instant, timer(at: instant, firing: .globalQueue))
    }

    /// Which of the limiter's timers fires.
    private enum TimerKind {
        /// The callers waiting for an instant (``timerFired(_:)``).
        case waiters
        /// The global queue's one timer (``globalTimerFired(_:)``).
        case globalQueue
    }

    /// A timer that fires `kind` at `instant` (limiter time), unless it is cancelled first.
    private func timer(at instant: Duration, firing kind: TimerKind) -> Task<Void, Never> {
        let (clock, origin) = (clock, origin)
        return Task {
            guard (try? await clock.sleep(until: origin.advanced(by: instant), tolerance: nil)) != nil else { return }
            switch kind {
            case .waiters: self.timerFired(instant)
            case .globalQueue: self.globalTimerFired(instant)
            }
        }
    }

    /// The global queue's timer of `instant` fired (one replaced since does nothing): the parked callers take their
    /// turns. Woken a hair early, the machine sets the timer again for the same instant.
    private func globalTimerFired(_ instant: Duration) {
        guard globalTimer?.at == instant else { return }
        globalTimer = nil
        serviceGlobalQueue()
    }

    /// Asks the machine again for waiter `id`: resumes it with its permit (or its refusal), or lets it wait again.
    private func askAgain(_ id: UInt64) {
        guard let waiter = waiters[id] else { return }
        do {
            switch try decide(waiter.route, workLeft: waiter.workLeft, waiter: id, ledger: waiter.ledger) {
            case .send(let permit):
                waiters[id] = nil
                deadlines[id] = nil
                parkedForGlobal.remove(id)
                waiter.continuation.resume(returning: permit)
            case .wait(let wake):
                waiting(id, wake: wake)
            }
        } catch {
            waiters[id] = nil
            deadlines[id] = nil
            parkedForGlobal.remove(id)
            waiter.continuation.resume(throwing: error)
        }
    }

    /// A cancelled caller stops waiting; a timer nobody waits for any more stops.
    private func withdraw(_ id: UInt64) {
        guard let waiter = waiters.removeValue(forKey: id) else { return }
        waiter.continuation.resume(throwing: CancellationError())
        if parkedForGlobal.remove(id) != nil { machine.withdraw(waiter: id) }
        if let deadline = deadlines.removeValue(forKey: id), !deadlines.values.contains(deadline) {
            timers.removeValue(forKey: deadline)?.cancel()
        }
    }

    /// Reports a response; wakes callers that were waiting for one. An invalid response counts in `ledger` (`nil`:
    /// the limiter's own, if it was given one).
    public func complete(
        _ permit: RateLimitStateMachine.Permit, response: RateLimitStateMachine.Response,
        ledger: InvalidRequestLedger? = nil
    ) -> RateLimitStateMachine.Verdict {
        let invalidBefore = machine.invalidTotal
        roundTrips[permit.route] = now - permit.sentAt
        let watching = logger.logLevel <= .debug
        let leadBefore = watching ? machine.sendLead(for: permit.route) : .zero
        let verdict = machine.complete(permit, response: response, now: now)
        if watching {
            let lead = machine.sendLead(for: permit.route)
            if (leadBefore == .zero) != (lead == .zero) {
                logger.debug(
                    lead > .zero ? "sends timed to the reset" : "sends back to the reset as seen",
                    metadata: ["route": "\(permit.route.templateKey)", "lead": "\(lead)"])
            }
        }
        if logger.logLevel <= .trace {
            var metadata = traceMetadata(permit)
            metadata["status"] = "\(response.status)"
            if let scope = response.headers.scope { metadata["scope"] = "\(scope)" }
            if let retry = response.bodyRetryAfter { metadata["retryAfter"] = "\(retry)" }
            if let reset = response.headers.resetAfter { metadata["resetAfter"] = "\(reset)" }
            if let remaining = response.headers.remaining { metadata["remaining"] = "\(remaining)" }
            logger.trace("answered", metadata: metadata)
        }
        if machine.invalidTotal > invalidBefore { (ledger ?? self.ledger)?.recordInvalid() }
        if case .rateLimited(let scope, let retryAfter, let unexpected) = verdict {
            logger.debug(
                "rate limited",
                metadata: [
                    "route": "\(permit.route.templateKey)", "scope": "\(scope.rawValue)",
                    "retryAfter": "\(retryAfter)", "unexpected": "\(unexpected)",
                ])
        }
        wakeAll()
        serviceGlobalQueue()
        return verdict
    }

    /// Reports that a request got no response.
    public func cancel(_ permit: RateLimitStateMachine.Permit) {
        machine.cancel(permit, now: now)
        logger.trace("cancelled", metadata: traceMetadata(permit))
        wakeAll()
        serviceGlobalQueue()
    }

    /// Reports that a request got an answer no rate limit counted (headers without rate-limit headers, then the
    /// connection dropped): frees its slot and gives it back to its window.
    public func cancelUncounted(_ permit: RateLimitStateMachine.Permit) {
        machine.cancelUncounted(permit, now: now)
        logger.trace("uncounted", metadata: traceMetadata(permit))
        wakeAll()
        serviceGlobalQueue()
    }

    /// One send's facts and what the limiter has learned on its route, for `trace` logs (a limiter's timeline).
    private func traceMetadata(_ permit: RateLimitStateMachine.Permit) -> Logger.Metadata {
        let route = permit.route
        var metadata: Logger.Metadata = [
            "atMs": "\(Int(now / .milliseconds(1)))", "sentAtMs": "\(Int(permit.sentAt / .milliseconds(1)))",
            "id": "\(permit.id)", "route": "\(route.templateKey)", "major": "\(route.major)",
        ]
        if permit.isRouteProbe { metadata["routeProbe"] = "1" }
        if permit.isBucketProbe { metadata["bucketProbe"] = "1" }
        if let limit = machine.routeLimit(for: route) { metadata["routeLimit"] = "\(limit)" }
        if let verified = machine.routeVerified(for: route) { metadata["routeVerified"] = "\(verified)" }
        if let observed = machine.observedLimit(for: route) { metadata["observed"] = "\(observed)" }
        return metadata
    }

    /// Remaining sends on `route`'s counter, if known (introspection for tests and logs).
    func machineRemaining(_ route: RouteKey) -> Int? { machine.remaining(for: route) }

    /// The ceiling and window length of `route`'s bucket, once an answer named it (see
    /// ``RateLimitStateMachine/bucketWindow(for:)``).
    public func bucketWindow(for route: RouteKey) -> (ceiling: Int, window: Duration)? {
        machine.bucketWindow(for: route)
    }

    /// How long before its reset `route`'s bucket sends its next window (zero: reactive; see ``ResetTiming``).
    public func sendLead(for route: RouteKey) -> Duration { machine.sendLead(for: route) }

    /// The last round trip of `route`: from its send (after any wait of the limiter) to its answer.
    public func roundTrip(of route: RouteKey) -> Duration? { roundTrips[route] }

    /// Invalid responses counted in the last window.
    public func invalidRequestCount() -> Int { machine.invalidRequestCount(now: now) }

    /// Requests sent in the last invalid-request window.
    public func requestCount() -> Int { machine.requestCount(now: now) }

    /// Sleeps on the limiter's clock (retry backoff uses the same time source).
    public func sleep(for duration: Duration) async throws {
        try await clock.sleep(until: clock.now.advanced(by: duration), tolerance: nil)
    }

    /// Returns once at least `count` callers wait for a response (tests wait on this event instead of sleeping).
    func waitForParkedCallers(_ count: Int) async {
        if waitingCount(answerOnly: true) >= count { return }
        await withCheckedContinuation { watchers.append((count, true, $0)) }
    }

    /// Returns once at least `count` callers wait for a permit, for an instant or an answer (a test's event).
    func waitForWaitingCallers(_ count: Int) async {
        if waitingCount(answerOnly: false) >= count { return }
        await withCheckedContinuation { watchers.append((count, false, $0)) }
    }

    private func waitingCount(answerOnly: Bool) -> Int {
        answerOnly ? waiters.count - deadlines.count - parkedForGlobal.count : waiters.count
    }

    private func notifyWatchers() {
        guard !watchers.isEmpty else { return }
        let satisfied = watchers.filter { $0.count <= waitingCount(answerOnly: $0.answerOnly) }
        watchers.removeAll { $0.count <= waitingCount(answerOnly: $0.answerOnly) }
        for watcher in satisfied { watcher.continuation.resume() }
    }

    /// An answer (or a failure) came: every caller waiting for one asks again, in the order they came.
    private func wakeAll() {
        guard waiters.count > deadlines.count + parkedForGlobal.count else { return }
        let answerWaiters = waiters.keys.filter { deadlines[$0] == nil && !parkedForGlobal.contains($0) }.sorted()
        for id in answerWaiters { askAgain(id) }
    }

    static func error(for refusal: RateLimitStateMachine.Refusal, route: RouteKey) -> DiscordRESTError {
        switch refusal {
        case .tokenRejected:
            return .unauthorized(
                route: route.templateKey, object: nil, status: nil,
                note: "an earlier request was answered 401; nothing more is sent with this token")
        case .knownForbidden:
            return .forbidden(
                route: route.templateKey, object: nil, status: nil,
                note: "this returned 403 before; skipped without sending")
        case .invalidRequestBudgetExhausted(let count, let limit, _):
            return .invalidRequestBudgetExhausted(route: route.templateKey, count: count, limit: limit)
        }
    }
}
