import DiscordGateway
import Testing

/// The gateway session's decisions in virtual time: no sockets, no clocks.
@Suite("Gateway session state machine")
struct GatewaySessionStateMachineTests {
    typealias Action = GatewaySessionStateMachine.Action
    static let url = "ws://gateway.test/gateway"
    static let interval = Duration.milliseconds(41_250)

    /// A machine connected and identified (READY received at `t`).
    static func ready(
        at t: Duration = .seconds(1), configuration: GatewaySessionStateMachine.Configuration = .init()
    ) -> GatewaySessionStateMachine {
        var machine = GatewaySessionStateMachine(gatewayURL: url, resume: nil, configuration: configuration)
        _ = machine.start(now: .zero)
        _ = machine.connected(now: .zero)
        _ = machine.receivedHello(interval: interval, now: .zero)
        _ = machine.receivedReady(sessionId: "s1", resumeURL: "ws://resume.test", sequence: 1, now: t)
        return machine
    }

    @Test func identifiesOnAFreshStartAndResumesAStoredSession() {
        var fresh = GatewaySessionStateMachine(gatewayURL: Self.url, resume: nil)
        #expect(fresh.start(now: .zero) == [.connect(url: Self.url)])
        #expect(fresh.connected(now: .zero).isEmpty)
        #expect(fresh.receivedHello(interval: Self.interval, now: .zero) == [.sendIdentify])

        let stored = GatewayResumeState(sessionId: "abc", sequence: 42, resumeURL: "ws://resume.test")
        var resuming = GatewaySessionStateMachine(gatewayURL: Self.url, resume: stored)
        #expect(resuming.start(now: .zero) == [.connect(url: "ws://resume.test")])
        _ = resuming.connected(now: .zero)
        #expect(resuming.receivedHello(interval: Self.interval, now: .zero) == [.sendResume(stored)])
        #expect(resuming.receivedDispatch(sequence: 43, now: .seconds(1)).isEmpty)
        let resumed = resuming.receivedResumed(sequence: 44, now: .seconds(1))
        #expect(
            resumed == [
                .ready(
                    GatewayResumeState(sessionId: "abc", sequence: 44, resumeURL: "ws://resume.test"),
                    resumed: true)
            ])
    }

    @Test func firstHeartbeatIsJitteredThenEveryIntervalWithTheLastSequence() throws {
        var machine = GatewaySessionStateMachine(gatewayURL: Self.url, resume: nil)
        _ = machine.start(now: .zero)
        _ = machine.connected(now: .zero)
        _ = machine.receivedHello(interval: Self.interval, now: .zero)
        let first = try #require(machine.nextDeadline)
        #expect(first >= .zero && first < Self.interval)
        #expect(machine.tick(now: first - .milliseconds(1)).isEmpty)
        #expect(machine.tick(now: first) == [.sendHeartbeat(sequence: nil)])
        _ = machine.receivedHeartbeatAck(now: first + .milliseconds(5))
        _ = machine.receivedReady(sessionId: "s", resumeURL: "ws://r", sequence: 1, now: first + .seconds(1))
        _ = machine.receivedDispatch(sequence: 7, now: first + .seconds(2))
        #expect(machine.nextDeadline == first + Self.interval)
        #expect(machine.tick(now: first + Self.interval) == [.sendHeartbeat(sequence: 7)])
    }

    @Test func aMissingAckClosesAZombieConnectionAndResumes() throws {
        var machine = Self.ready()
        let first = try #require(machine.nextDeadline)
        #expect(machine.tick(now: first) == [.sendHeartbeat(sequence: 1)])
        // No ACK before the next beat: close with a resumable code, then reconnect on the resume URL.
        #expect(machine.tick(now: first + Self.interval) == [.close(code: 4000)])
        #expect(machine.closed(code: 4000, now: first + Self.interval) == [.connect(url: "ws://resume.test")])
        _ = machine.connected(now: first + Self.interval)
        let resume = machine.receivedHello(interval: Self.interval, now: first + Self.interval)
        #expect(
            resume == [.sendResume(GatewayResumeState(sessionId: "s1", sequence: 1, resumeURL: "ws://resume.test"))])
    }

    @Test func closeCodesDecideResumeIdentifyOrFail() {
        for code: UInt16? in [nil, 4000, 4001, 4002, 4003, 4005, 4008, 1006] {
            var machine = Self.ready()
            #expect(
                machine.closed(code: code, now: .seconds(2)) == [.connect(url: "ws://resume.test")], "\(code as Any)")
        }
        for code: UInt16 in [4007, 4009] {
            var machine = Self.ready()
            #expect(machine.closed(code: code, now: .seconds(2)) == [.sessionInvalidated])
            #expect(machine.session == nil)
        }
        for code: UInt16 in [4004, 4010, 4011, 4012, 4013, 4014] {
            var machine = Self.ready()
            #expect(machine.closed(code: code, now: .seconds(2)) == [.fail(closeCode: code)])
            #expect(machine.isFinished)
            #expect(machine.nextDeadline == nil)
        }
    }

    @Test func invalidSessionFalseForgetsTheSessionAndIdentifiesAfterOneToFiveSeconds() throws {
        var machine = Self.ready()
        #expect(
            machine.receivedInvalidSession(resumable: false, now: .seconds(2)) == [
                .sessionInvalidated, .close(code: 4000),
            ])
        #expect(machine.closed(code: 4000, now: .seconds(2)).isEmpty)
        let reconnectAt = try #require(machine.nextDeadline)
        #expect(reconnectAt >= .seconds(3) && reconnectAt <= .seconds(7))
        #expect(machine.tick(now: reconnectAt - .milliseconds(1)).isEmpty)
        #expect(machine.tick(now: reconnectAt) == [.connect(url: Self.url)])
        _ = machine.connected(now: reconnectAt)
        // max_concurrency 1: at most one identify per 5 s, counted from the first one (at 0).
        let hello = machine.receivedHello(interval: Self.interval, now: reconnectAt)
        let window = machine.configuration.identifyWindow
        if reconnectAt >= window {
            #expect(hello == [.sendIdentify])
        } else {
            #expect(hello.isEmpty)
            #expect(machine.tick(now: window).contains(.sendIdentify))
        }
    }

    @Test func reconnectAndResumableInvalidSessionResume() {
        var machine = Self.ready()
        #expect(machine.receivedReconnect(now: .seconds(2)) == [.close(code: 4000)])
        // Even a server close code that would otherwise mean "identify" resumes after op 7.
        #expect(machine.closed(code: 4009, now: .seconds(2)) == [.connect(url: "ws://resume.test")])
        var other = Self.ready()
        #expect(other.receivedInvalidSession(resumable: true, now: .seconds(2)) == [.close(code: 4000)])
        #expect(other.closed(code: nil, now: .seconds(2)) == [.connect(url: "ws://resume.test")])
    }

    @Test func reconnectsBackOffExponentiallyAndReadyResetsTheBackoff() throws {
        var configuration = GatewaySessionStateMachine.Configuration()
        configuration.resumeConnectAttempts = .max
        var machine = Self.ready(configuration: configuration)
        // The first reconnect is immediate; failed attempts then wait longer and longer, up to the maximum.
        #expect(machine.closed(code: nil, now: .seconds(10)) == [.connect(url: "ws://resume.test")])
        var now = Duration.seconds(10)
        var delays: [Duration] = []
        for _ in 0..<8 {
            #expect(machine.connectFailed(now: now).isEmpty)
            let at = try #require(machine.nextDeadline)
            delays.append(at - now)
            now = at
            #expect(machine.tick(now: now) == [.connect(url: "ws://resume.test")])
        }
        #expect(delays[0] >= .milliseconds(500) && delays[0] <= .seconds(1))
        #expect(delays[3] >= .seconds(4) && delays[3] <= .seconds(8))
        #expect(delays.allSatisfy { $0 <= .seconds(60) })
        _ = machine.connected(now: now)
        _ = machine.receivedHello(interval: Self.interval, now: now)
        _ = machine.receivedResumed(sequence: 1, now: now)
        #expect(machine.closed(code: nil, now: now + .seconds(1)) == [.connect(url: "ws://resume.test")])
    }

    /// gateway.mdx, "Handling a Disconnect": "If you cannot reconnect or the reconnect fails, you should open a new
    /// connection using the URL from the initial call to Get Gateway … you'll have to re-identify".
    @Test func aResumeURLThatCannotBeOpenedFallsBackToIdentifyingOnTheGatewayURL() throws {
        var machine = Self.ready()
        #expect(machine.closed(code: nil, now: .seconds(10)) == [.connect(url: "ws://resume.test")])
        var now = Duration.seconds(10)
        // The resume host refuses twice: still the resume URL (a blip must not cost the session).
        for _ in 0..<2 {
            #expect(machine.closed(code: nil, now: now).isEmpty)
            now = try #require(machine.nextDeadline)
            #expect(machine.tick(now: now) == [.connect(url: "ws://resume.test")])
        }
        // The third refusal gives the session up: the gateway URL, and an IDENTIFY there.
        #expect(machine.closed(code: nil, now: now) == [.sessionInvalidated])
        #expect(machine.session == nil)
        now = try #require(machine.nextDeadline)
        #expect(machine.tick(now: now) == [.connect(url: Self.url)])
        #expect(machine.connected(now: now).isEmpty)
        #expect(machine.receivedHello(interval: Self.interval, now: now) == [.sendIdentify])
    }

    /// Discord sends HELLO as soon as the WebSocket is open (discord-api.md §7). A connection that opened and said
    /// nothing waited for ever: no deadline ran between the connect and HELLO, so `watch` hung on it.
    @Test func aConnectionThatOpensAndSaysNoHelloIsAbandonedAndOpenedAgain() throws {
        var machine = GatewaySessionStateMachine(gatewayURL: Self.url, resume: nil)
        let timeout = machine.configuration.helloTimeout
        #expect(machine.start(now: .zero) == [.connect(url: Self.url)])
        #expect(machine.nextDeadline == timeout)
        #expect(machine.connected(now: .seconds(1)).isEmpty)
        // The deadline runs from the connect, not from the open.
        #expect(machine.nextDeadline == timeout)
        #expect(machine.tick(now: timeout - .milliseconds(1)).isEmpty)
        #expect(machine.tick(now: timeout) == [.abandonConnection(.noHello), .connect(url: Self.url)])
        // The new connection has its own deadline; HELLO clears it (the next deadline is the first heartbeat).
        #expect(machine.nextDeadline == timeout + timeout)
        _ = machine.connected(now: timeout + .seconds(1))
        #expect(machine.receivedHello(interval: Self.interval, now: timeout + .seconds(1)) == [.sendIdentify])
        let next = try #require(machine.nextDeadline)
        #expect(next < timeout + .seconds(1) + Self.interval)
        #expect(!machine.tick(now: timeout + timeout).contains(.abandonConnection(.noHello)))
    }

    /// A connect that never completes (the TCP connect or the upgrade never answered) is given up at the same
    /// deadline, and further attempts back off.
    @Test func aConnectThatNeverOpensIsAbandonedAndRetriedWithBackoff() throws {
        var machine = GatewaySessionStateMachine(gatewayURL: Self.url, resume: nil)
        let timeout = machine.configuration.helloTimeout
        _ = machine.start(now: .zero)
        #expect(machine.tick(now: timeout) == [.abandonConnection(.noHello), .connect(url: Self.url)])
        // The second silent attempt waits before the third.
        #expect(machine.tick(now: timeout + timeout) == [.abandonConnection(.noHello)])
        let retry = try #require(machine.nextDeadline)
        #expect(retry > timeout + timeout)
        #expect(machine.tick(now: retry) == [.connect(url: Self.url)])
        // A stop while connecting ends at once, with no deadline left.
        #expect(machine.stop(now: retry) == [.stopped])
        #expect(machine.nextDeadline == nil)
    }

    /// A resume URL that opens but never says HELLO counts as one that cannot be opened: after a few attempts the
    /// session is given up and the gateway URL identifies (before, each such connection reset the count).
    @Test func aResumeURLThatStaysSilentFallsBackToIdentifyingOnTheGatewayURL() throws {
        var configuration = GatewaySessionStateMachine.Configuration()
        configuration.backoffBase = .zero  // every retry at once: the decisions, not the delays
        var machine = Self.ready(configuration: configuration)
        #expect(machine.closed(code: nil, now: .seconds(10)) == [.connect(url: "ws://resume.test")])
        var now = Duration.seconds(10)
        // Opened and silent twice: still the resume URL (a blip must not cost the session).
        for _ in 1..<configuration.resumeConnectAttempts {
            _ = machine.connected(now: now)
            now = try #require(machine.nextDeadline)
            #expect(machine.tick(now: now) == [.abandonConnection(.noHello), .connect(url: "ws://resume.test")])
        }
        // The third gives the session up: the gateway URL, and an IDENTIFY there.
        _ = machine.connected(now: now)
        now = try #require(machine.nextDeadline)
        #expect(machine.tick(now: now) == [.abandonConnection(.noHello), .sessionInvalidated, .connect(url: Self.url)])
        #expect(machine.session == nil)
        _ = machine.connected(now: now)
        #expect(machine.receivedHello(interval: Self.interval, now: now) == [.sendIdentify])
    }

    /// The jitter is what keeps clients from beating and reconnecting in step: two machines with the default
    /// configuration draw different first beats.
    @Test func theDefaultJitterDiffersBetweenMachines() throws {
        var firsts: Set<Duration> = []
        for _ in 0..<4 {
            var machine = GatewaySessionStateMachine(gatewayURL: Self.url, resume: nil)
            _ = machine.start(now: .zero)
            _ = machine.connected(now: .zero)
            _ = machine.receivedHello(interval: Self.interval, now: .zero)
            firsts.insert(try #require(machine.nextDeadline))
        }
        #expect(firsts.count > 1)
    }

    /// gateway.mdx, "Rate Limiting": 120 payloads per connection per 60 s. A server asking for a heartbeat 130 times
    /// in 10 s got 130 answers and closed the connection with 4008.
    @Test func heartbeatRequestsAreAnsweredWithinTheSendLimit() throws {
        var machine = GatewaySessionStateMachine(gatewayURL: Self.url, resume: nil)
        _ = machine.start(now: .zero)
        _ = machine.connected(now: .zero)
        // An odd server: a heartbeat every 200 ms, and 130 requests for one in 9 s.
        #expect(machine.receivedHello(interval: .milliseconds(200), now: .zero) == [.sendIdentify])
        _ = machine.receivedReady(sessionId: "s", resumeURL: "ws://r", sequence: 1, now: .zero)
        var sent: [Duration] = [.zero]
        var answers = 0
        for step in 1...130 {
            let now = Duration.milliseconds(70 * step)
            while let due = machine.nextDeadline, due <= now {
                if machine.tick(now: due) == [.sendHeartbeat(sequence: 1)] { sent.append(due) }
                _ = machine.receivedHeartbeatAck(now: due)
            }
            if machine.receivedHeartbeatRequest(now: now) == [.sendHeartbeat(sequence: 1)] {
                sent.append(now)
                answers += 1
            }
        }
        // Never more than 120 in the window (all of these are within 9.1 s); the answers stopped short of it and the
        // scheduled beats used the rest, then wait for the first send to leave the window.
        #expect(sent.count == 120)
        #expect(answers < 110)
        #expect(try #require(machine.nextDeadline) >= .seconds(60))
        // Once the window is clear, a request is answered again.
        #expect(machine.receivedHeartbeatRequest(now: .seconds(70)) == [.sendHeartbeat(sequence: 1)])
    }

    @Test func identifyHonoursMaxConcurrencyAndTheDailyBudget() throws {
        var machine = GatewaySessionStateMachine(gatewayURL: Self.url, resume: nil)
        machine.setIdentifyBudget(remaining: 1, resetAfter: .seconds(3600), maxConcurrency: 1, now: .zero)
        _ = machine.start(now: .zero)
        _ = machine.connected(now: .zero)
        #expect(machine.receivedHello(interval: Self.interval, now: .zero) == [.sendIdentify])
        // The identify is refused (op 9 false): the budget is spent, so the next identify waits for the reset.
        _ = machine.receivedInvalidSession(resumable: false, now: .seconds(1))
        _ = machine.closed(code: 4000, now: .seconds(1))
        let reconnectAt = try #require(machine.nextDeadline)
        #expect(machine.tick(now: reconnectAt) == [.connect(url: Self.url)])
        _ = machine.connected(now: reconnectAt)
        #expect(machine.receivedHello(interval: Self.interval, now: reconnectAt).isEmpty)
        #expect(!machine.tick(now: .seconds(3599)).contains(.sendIdentify))
        #expect(machine.tick(now: .seconds(3600)).contains(.sendIdentify))

        var concurrent = GatewaySessionStateMachine(gatewayURL: Self.url, resume: nil)
        concurrent.setIdentifyBudget(remaining: 1000, resetAfter: .seconds(86_400), maxConcurrency: 1, now: .zero)
        _ = concurrent.start(now: .zero)
        _ = concurrent.connected(now: .zero)
        #expect(concurrent.receivedHello(interval: Self.interval, now: .zero) == [.sendIdentify])
        _ = concurrent.closed(code: 4009, now: .milliseconds(100))
        let again = try #require(concurrent.nextDeadline)
        _ = concurrent.tick(now: again)
        _ = concurrent.connected(now: again)
        let window = concurrent.configuration.identifyWindow
        if again < window {
            // Within the window of max_concurrency 1 (5 s and a margin): wait until it ends.
            #expect(concurrent.receivedHello(interval: Self.interval, now: again).isEmpty)
            #expect(!concurrent.tick(now: window - .milliseconds(1)).contains(.sendIdentify))
            #expect(concurrent.tick(now: window).contains(.sendIdentify))
        } else {
            #expect(concurrent.receivedHello(interval: Self.interval, now: again) == [.sendIdentify])
        }
    }

    @Test func aStopWhoseCloseIsNeverAnsweredAbandonsTheConnectionAtTheCloseTimeout() throws {
        var machine = Self.ready()
        #expect(machine.stop(now: .seconds(2)) == [.close(code: 4000)])
        // Waiting for the close to be answered, and for nothing else (no heartbeat while closing).
        let deadline = try #require(machine.nextDeadline)
        #expect(deadline == .seconds(2) + machine.configuration.closeTimeout)
        #expect(machine.tick(now: deadline - .milliseconds(1)).isEmpty)
        #expect(machine.tick(now: deadline) == [.abandonConnection(.closeUnanswered), .stopped])
        #expect(machine.isFinished)
        #expect(machine.nextDeadline == nil)
        // The session stays resumable: nothing said it ended.
        #expect(machine.session?.sessionId == "s1")
    }

    @Test func aZombieWhoseCloseIsNeverAnsweredIsAbandonedAndResumed() throws {
        var machine = Self.ready()
        let first = try #require(machine.nextDeadline)
        _ = machine.tick(now: first)
        let zombie = first + Self.interval
        #expect(machine.tick(now: zombie) == [.close(code: 4000)])
        // A dead link answers nothing: at the close timeout the connection is given up and the session resumed.
        let deadline = try #require(machine.nextDeadline)
        #expect(deadline == zombie + machine.configuration.closeTimeout)
        #expect(
            machine.tick(now: deadline) == [.abandonConnection(.closeUnanswered), .connect(url: "ws://resume.test")])
        // A stop while the close is waited for keeps its deadline.
        var stopping = Self.ready()
        _ = stopping.receivedReconnect(now: .seconds(3))
        #expect(stopping.stop(now: .seconds(4)) == [.close(code: 4000)])
        #expect(stopping.nextDeadline == .seconds(3) + stopping.configuration.closeTimeout)
        // An answered close clears the deadline.
        var answered = Self.ready()
        _ = answered.stop(now: .seconds(2))
        #expect(answered.closed(code: 4000, now: .seconds(2)) == [.stopped])
        #expect(answered.nextDeadline == nil)
    }

    @Test func aStopWhileResumingIsKeptWhenTheResumedInFlightArrives() {
        // The hang of a full test run: stop() came between RESUME and RESUMED; RESUMED then set the phase back to
        // running, so the answer to the close (1000 from the server) was taken for a dropped connection and the
        // client reconnected and resumed, watching on for ever.
        let stored = GatewayResumeState(sessionId: "abc", sequence: 2, resumeURL: "ws://resume.test")
        var machine = GatewaySessionStateMachine(gatewayURL: Self.url, resume: stored)
        _ = machine.start(now: .zero)
        _ = machine.connected(now: .zero)
        #expect(machine.receivedHello(interval: Self.interval, now: .zero) == [.sendResume(stored)])
        #expect(machine.stop(now: .seconds(1)) == [.close(code: 4000)])
        let resumed = GatewayResumeState(sessionId: "abc", sequence: 5, resumeURL: "ws://resume.test")
        #expect(machine.receivedResumed(sequence: 5, now: .seconds(1)) == [.ready(resumed, resumed: true)])
        #expect(machine.closed(code: 1000, now: .seconds(1)) == [.stopped])
        #expect(machine.isFinished)
        #expect(machine.session == resumed)
        // The same for a READY in flight after a stop sent while identifying.
        var identifying = GatewaySessionStateMachine(gatewayURL: Self.url, resume: nil)
        _ = identifying.start(now: .zero)
        _ = identifying.connected(now: .zero)
        #expect(identifying.receivedHello(interval: Self.interval, now: .zero) == [.sendIdentify])
        #expect(identifying.stop(now: .seconds(1)) == [.close(code: 4000)])
        _ = identifying.receivedReady(sessionId: "new", resumeURL: "ws://r", sequence: 1, now: .seconds(1))
        #expect(identifying.closed(code: 1000, now: .seconds(1)) == [.stopped])
    }

    @Test func stopClosesWithAResumableCodeAndFinishes() {
        var machine = Self.ready()
        #expect(machine.stop(now: .seconds(2)) == [.close(code: 4000)])
        #expect(machine.closed(code: 4000, now: .seconds(2)) == [.stopped])
        #expect(machine.isFinished)
        #expect(machine.session?.sessionId == "s1")
        #expect(GatewayCloseDecision.forCode(1000) == .resume)
        #expect(GatewayCloseDecision.forCode(4004) == .fail)
    }
}
