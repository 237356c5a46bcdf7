import TestSupport
import Testing

@testable import DiscordREST

/// The callers the global limit turns away, parked in the machine's queue: woken only as many as there are free
/// slots, in priority order, none left waiting with nothing to wake it.
@Suite struct GlobalWaitQueueTests {
    static func route(_ index: Int, template: Int = 0) -> RouteKey {
        RouteKey(method: "GET", template: "/channels/{channel_id}/t\(template)", major: "channel:\(index)")
    }

    static func headers(remaining: Int, resetAfter: Double = 5, bucket: String = "h") -> RateLimitHeaders {
        RateLimitHeaders(limit: 5, remaining: remaining, resetAfter: resetAfter, bucket: bucket)
    }

    /// A machine whose global limit is `limit` per second and whose one template's bucket is known (5 per 5 s).
    static func machine(globalLimit limit: Int) -> RateLimitStateMachine {
        var configuration = RateLimitStateMachine.Configuration()
        configuration.globalLimit = limit
        configuration.globalWindow = .seconds(1)
        configuration.globalServerWindow = .seconds(1)
        var machine = RateLimitStateMachine(configuration: configuration)
        guard case .send(let probe) = machine.acquire(route(0), now: .zero) else { return machine }
        _ = machine.complete(probe, response: .init(status: 200, headers: headers(remaining: 4)), now: .zero)
        return machine
    }

    @Test func aFreedSlotWakesOneParkedCallerAndTheRestStayParked() {
        var machine = Self.machine(globalLimit: 3)
        // The probe holds one slot until 1 s; two more sends (each the first of its own route) fill the limit.
        let routes = (0...8).map { Self.route($0, template: $0) }
        for index in 1...2 {
            guard case .send = machine.acquire(routes[index], now: .milliseconds(100), waiter: UInt64(index)) else {
                Issue.record("expected a send")
                return
            }
        }
        for index in 3...8 {
            #expect(
                machine.acquire(routes[index], now: .milliseconds(200), waiter: UInt64(index)) == .waitForGlobalSlot)
        }
        #expect(machine.globalWaiters == Array(3...8))
        // The probe's slot frees at 1 s: the queue's one timer, and one caller then.
        #expect(machine.takeGlobalTurns(now: .milliseconds(500)) == .init(due: [], next: .at(.seconds(1))))
        let turns = machine.takeGlobalTurns(now: .seconds(1))
        #expect(turns.due == [3])
        guard case .send = machine.acquire(routes[3], now: .seconds(1), waiter: 3) else {
            Issue.record("the caller whose turn came was not granted")
            return
        }
        #expect(machine.takeGlobalTurns(now: .seconds(1)) == .init(due: [], next: .afterAnswer))
        #expect(machine.globalWaiters == Array(4...8))
        machine.withdraw(waiter: 5)
        #expect(machine.globalWaiters == [4, 6, 7, 8])
    }

    @Test func callersWhoseWindowIsOpenTakeTheSlotsFirst() throws {
        var machine = Self.machine(globalLimit: 2)
        // Channel 1 opens its window (its slot held until 1.1 s, the probe's until 1 s); channel 2's first send would
        // open another.
        guard case .send(let first) = machine.acquire(Self.route(1), now: .milliseconds(100), waiter: 1) else {
            Issue.record("expected a send")
            return
        }
        _ = machine.complete(
            first, response: .init(status: 200, headers: Self.headers(remaining: 4)), now: .milliseconds(100))
        #expect(machine.acquire(Self.route(2), now: .milliseconds(150), waiter: 2) == .waitForGlobalSlot)
        #expect(machine.acquire(Self.route(1), now: .milliseconds(200), waiter: 3) == .waitForGlobalSlot)
        // One slot frees at 1 s: the open window's caller goes first, though it came later.
        #expect(machine.takeGlobalTurns(now: .seconds(1)).due == [3])
    }

    /// The limiter on an injected clock: callers parked for the global limit share one timer and are granted one per
    /// freed slot.
    @Test func parkedCallersShareOneTimer() async throws {
        let (clock, limiter, routes) = try await RateLimiterTests.limiterWithGlobalSlotsHeld(routes: 6)
        let granted = Granted()
        let tasks = routes[2...].map { route in
            Task {
                let permit = try await limiter.acquire(route)
                await granted.add(permit)
                return permit
            }
        }
        await limiter.waitForWaitingCallers(4)
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        // Two slots free at 1 s: two callers, the other two still parked on the one timer (of 2 s).
        let firstTwo = try await granted.take(2)
        #expect(firstTwo.allSatisfy { $0.sentAt == .seconds(1) })
        for permit in firstTwo { _ = await limiter.complete(permit, response: .init(status: 200)) }
        await clock.waitForSleepers(1)
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        for task in tasks { _ = try await task.value }
    }

    /// The wide scenario in virtual time: asks per send with the callers parked, against told an instant each.
    @Test func wideAsksAboutOncePerSend() {
        var counts: [Bool: (asks: Int, sent: Int)] = [:]
        for parks in [false, true] {
            for lateness in [0, 20, 60] {
                var run = WideChannelPacingTests.wideRun(lateness: lateness)
                run.parksOnGlobal = parks
                run.run(until: .seconds(120))
                print(
                    "wide, lateness \(lateness), parked \(parks): finished \(run.finishedAt ?? .seconds(120)), \(run.asks) asks"
                )
                #expect(run.finishedAt != nil)
                if lateness == 20 { counts[parks] = (run.asks, run.sent) }
            }
        }
        let parked = counts[true]!
        let told = counts[false]!
        print("wide in virtual time: asks/sends parked \(parked), told an instant \(told)")
        // Deterministic in virtual time: 6,010 against 10,897 (the rest: the route's discovery at start-up, whose
        // callers ask again at every answer, and each window's reset).
        #expect(parked.asks < told.asks * 2 / 3)
    }

    /// A randomized check of the machine driven as `RateLimiter` drives it: after every step every caller that waits
    /// is owed a wake-up (an instant; an answer with a request in flight; or a place in the global queue whose next
    /// turn is an instant, or an answer with one in flight), and once every request is answered every caller ends.
    @Test(arguments: 0..<100)
    func noCallerIsLeftWaitingWithNothingToWakeIt(seed: UInt64) {
        var fuzz = WakeUpFuzz(seed: seed)
        for _ in 0..<1500 {
            fuzz.step()
            if let problem = fuzz.problem() {
                Issue.record("seed \(seed), step \(fuzz.steps): \(problem)")
                return
            }
        }
        fuzz.drain()
        #expect(fuzz.waitingCount == 0, "seed \(seed): \(fuzz.waitingCount) callers never ended")
        #expect(fuzz.parks > 0, "seed \(seed): the global limit never parked a caller")
    }
}

/// Drives a ``RateLimitStateMachine`` with random callers, answers, cancels and time steps, as `RateLimiter` does.
struct WakeUpFuzz {
    enum Waiting: Equatable {
        case at(Duration)
        case answer
        case globalSlot
    }

    private var random: UInt64
    private(set) var machine: RateLimitStateMachine
    private(set) var now: Duration = .zero
    private(set) var steps = 0
    private var waiting: [UInt64: (route: RouteKey, wake: Waiting)] = [:]
    private var inFlight: [RateLimitStateMachine.Permit] = []
    private var nextWaiter: UInt64 = 0
    private var globalNext: RateLimitStateMachine.GlobalWake = .none
    private let routes: [RouteKey]

    var waitingCount: Int { waiting.count }
    /// Callers parked for a global slot so far.
    private(set) var parks = 0

    init(seed: UInt64) {
        random = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
        var configuration = RateLimitStateMachine.Configuration()
        configuration.globalLimit = 3 + Int(seed % 4)
        configuration.invalidSlowdownMinimumRequests = 20
        machine = RateLimitStateMachine(configuration: configuration)
        // Seven routes over three templates.
        routes = (0..<7).map { GlobalWaitQueueTests.route($0 % 4, template: $0 % 3) }
    }

    private mutating func next(_ bound: Int) -> Int {
        random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((random >> 33) % UInt64(bound))
    }

    /// One random event.
    mutating func step() {
        steps += 1
        switch next(10) {
        case 0...2:
            if waiting.count < 12 { newCaller() }
        case 3...5:
            if !inFlight.isEmpty { answer(inFlight.remove(at: next(inFlight.count))) }
        case 6:
            advance(by: .milliseconds(next(400)))
        default:
            advanceToNextWake()
        }
    }

    /// Answers every request (200) and moves time on until nobody waits (or a bound).
    mutating func drain() {
        var rounds = 0
        while !(waiting.isEmpty && inFlight.isEmpty), rounds < 10_000 {
            rounds += 1
            if !inFlight.isEmpty {
                let permit = inFlight.removeFirst()
                complete(permit, .init(status: 200, headers: headers(permit, remaining: 1)))
            } else {
                advanceToNextWake()
            }
        }
    }

    /// What is wrong now, if anything.
    func problem() -> String? {
        let parked = Set(machine.globalWaiters)
        for (id, entry) in waiting {
            switch entry.wake {
            case .at: break
            case .answer:
                if inFlight.isEmpty { return "caller \(id) waits for an answer with nothing in flight" }
            case .globalSlot:
                guard parked.contains(id) else { return "caller \(id) parked but not in the machine's queue" }
                switch globalNext {
                case .at: break
                case .afterAnswer where !inFlight.isEmpty: break
                default: return "caller \(id) parked, the queue's next turn \(globalNext), \(inFlight.count) in flight"
                }
            }
        }
        let callers = Set(waiting.filter { $0.value.wake == .globalSlot }.keys)
        if parked != callers { return "queue \(parked.sorted()) against parked callers \(callers.sorted())" }
        return nil
    }

    private mutating func newCaller() {
        nextWaiter += 1
        let route = routes[next(routes.count)]
        ask(nextWaiter, route: route)
        takeGlobalTurns()
    }

    private func headers(_ permit: RateLimitStateMachine.Permit, remaining: Int) -> RateLimitHeaders {
        RateLimitHeaders(
            limit: 5, remaining: remaining, resetAfter: Double(1 + next2(permit.id)) / 4,
            bucket: "h\(permit.route.template)")
    }

    /// A pseudo-random number from an id (headers do not consume the event sequence).
    private func next2(_ id: UInt64) -> Int { Int((id &* 2_654_435_761) % 20) }

    private mutating func answer(_ permit: RateLimitStateMachine.Permit) {
        let remaining = next(5)
        switch next(12) {
        case 0: cancel(permit, uncounted: false)
        case 1: cancel(permit, uncounted: true)
        case 2: complete(permit, .init(status: 502))
        case 3: complete(permit, .init(status: 404, headers: headers(permit, remaining: remaining)))
        case 4 where next(4) == 0: complete(permit, .init(status: 403, headers: headers(permit, remaining: remaining)))
        case 5:
            var limited = headers(permit, remaining: 0)
            limited.scope = "user"
            complete(permit, .init(status: 429, headers: limited, bodyRetryAfter: Double(next(2000)) / 1000))
        case 6:
            var limited = headers(permit, remaining: remaining)
            limited.scope = "shared"
            complete(permit, .init(status: 429, headers: limited, bodyRetryAfter: Double(next(2000)) / 1000))
        case 7:
            complete(
                permit,
                .init(
                    status: 429, headers: RateLimitHeaders(isGlobal: true, scope: "global"),
                    bodyRetryAfter: Double(next(1500)) / 1000, bodyGlobal: true))
        default: complete(permit, .init(status: 200, headers: headers(permit, remaining: remaining)))
        }
    }

    private mutating func complete(_ permit: RateLimitStateMachine.Permit, _ response: RateLimitStateMachine.Response) {
        _ = machine.complete(permit, response: response, now: now)
        wakeAnswerWaiters()
        takeGlobalTurns()
    }

    private mutating func cancel(_ permit: RateLimitStateMachine.Permit, uncounted: Bool) {
        if uncounted { machine.cancelUncounted(permit, now: now) } else { machine.cancel(permit, now: now) }
        wakeAnswerWaiters()
        takeGlobalTurns()
    }

    private mutating func wakeAnswerWaiters() {
        for id in waiting.filter({ $0.value.wake == .answer }).keys.sorted() { askAgain(id) }
    }

    private mutating func advance(by step: Duration) {
        now += step
        fireTimers()
    }

    private mutating func advanceToNextWake() {
        var instants = waiting.values.compactMap { entry -> Duration? in
            if case .at(let instant) = entry.wake { return instant }
            return nil
        }
        if case .at(let instant) = globalNext { instants.append(instant) }
        guard let earliest = instants.min() else { return }
        now = max(now, earliest)
        fireTimers()
    }

    private mutating func fireTimers() {
        let due = waiting.compactMap { id, entry -> (Duration, UInt64)? in
            if case .at(let instant) = entry.wake, instant <= now { return (instant, id) }
            return nil
        }
        for (_, id) in due.sorted(by: <) { askAgain(id) }
        takeGlobalTurns()
    }

    private mutating func askAgain(_ id: UInt64) {
        guard let entry = waiting.removeValue(forKey: id) else { return }
        ask(id, route: entry.route)
    }

    private mutating func ask(_ id: UInt64, route: RouteKey) {
        switch machine.acquire(route, now: now, waiter: id) {
        case .send(let permit): inFlight.append(permit)
        case .wait(let until): waiting[id] = (route, .at(until))
        case .waitForResponse: waiting[id] = (route, .answer)
        case .waitForGlobalSlot:
            waiting[id] = (route, .globalSlot)
            parks += 1
        case .refuse: break
        }
    }

    private mutating func takeGlobalTurns() {
        var turns = machine.takeGlobalTurns(now: now)
        while !turns.due.isEmpty {
            for id in turns.due { askAgain(id) }
            turns = machine.takeGlobalTurns(now: now)
        }
        globalNext = turns.next
    }
}
