import Testing

@testable import DiscordREST

/// The route-wide count of an unannounced per-token limit is by send instant: answers of one server window arriving
/// in two client windows (or of two arriving bunched in one) must not make the route look allowed more than it
/// was proven to be (diagnosed in acceptance 13: a second request went out as a non-probe beyond the real limit).
@Suite struct RouteObservationTests {
    static let window = Duration.milliseconds(1100)

    /// Sends `count` requests `spacing` apart from `start`; returns their ids.
    static func send(
        _ route: inout RouteObservation, count: Int, from start: Duration, spacing: Duration, firstId: UInt64
    ) -> [UInt64] {
        (0..<count).map { index in
            let id = firstId + UInt64(index)
            route.recordSend(id: id, now: start + spacing * index, window: window)
            return id
        }
    }

    /// A route that counts the server's windows (its headers lied) with a learned `limit` and `verified` proven.
    static func learnedRoute(limit: Int, verified: Int) -> RouteObservation {
        var route = RouteObservation()
        route.countsServerWindows = true
        route.limit = limit
        route.verified = verified
        return route
    }

    @Test func answersBunchedFromTwoWindowsDoNotRaiseVerified() {
        // A route held to 20 per window sends 20 in 0…0.95 s, then (the first leaving the window at 1.1 s) 20 more
        // in 1.1…2.05 s. The answers of the first 20 come back late, bunched with those of the next 20: 40 answers
        // within one window of arrivals, yet no window of sends ever held more than 20.
        var route = RouteObservation()
        route.verified = 20
        let first = Self.send(&route, count: 20, from: .zero, spacing: .milliseconds(50), firstId: 1)
        let second = Self.send(
            &route, count: 20, from: .milliseconds(1100), spacing: .milliseconds(50), firstId: 21)
        for id in first + second { route.recordAnswer(id: id, admitted: true) }
        #expect(route.verified == 20)
    }

    @Test func anAdmittedProbeRaisesVerifiedByOneOnly() {
        // 20 sends and one probe beyond them straddle a boundary of the server's fixed window: the server split
        // them over two of its windows and admitted all. The probe's answer comes back first: it proves one more
        // (the sends before it, unanswered, count as admitted), not one per answer.
        var route = RouteObservation()
        route.verified = 20
        let ids = Self.send(&route, count: 21, from: .zero, spacing: .milliseconds(40), firstId: 1)
        route.recordAnswer(id: ids[20], admitted: true)
        #expect(route.verified == 21)
        for id in ids.dropLast().reversed() { route.recordAnswer(id: id, admitted: true) }
        #expect(route.verified == 21)
        // Sends within the window are not probes and raise nothing, however their answers bunch.
        let more = Self.send(&route, count: 2, from: .milliseconds(1150), spacing: .milliseconds(10), firstId: 22)
        for id in more { route.recordAnswer(id: id, admitted: true) }
        #expect(route.verified == 21)
    }

    @Test func probesThatOpenTheServersNextWindowProveNothing() {
        // The traced hostile run, whose route "proved" 25 against an enforced 20. The server's 1 s window opens at
        // the first request after the last one ended. In each cycle the route sends one request at its start and 19
        // near its end; just after the end (within the margin where a send may lie in either window), sends go on
        // until one is beyond what was verified (a probe). All are admitted: the last ones opened the server's next
        // window. Counted over the client's 1.1 s window ending at the probe, each cycle proved one more than
        // verified (21 … 25 of 20 after five); counted in the server's window that may hold the probe, nothing is
        // proven: its sends are all within the margin of the window before's end.
        var route = RouteObservation()
        route.countsServerWindows = true  // the headers lied: a hidden limit may bind
        route.verified = 20
        var id: UInt64 = 0
        for cycle in 0..<5 {
            let start = Duration.seconds(3 * cycle)
            var instants = [start]
            instants += (0..<19).map { start + .milliseconds(500 + 25 * $0) }
            instants += (0...cycle).map { start + .milliseconds(1010 + 8 * $0) }
            var ids: [UInt64] = []
            for at in instants {
                id += 1
                route.recordSend(id: id, now: at, window: Self.window)
                ids.append(id)
            }
            #expect(route.sends.last?.beyondVerified == true, "cycle \(cycle): the last send is a probe")
            for sent in ids { route.recordAnswer(id: sent, admitted: true) }
            #expect(route.verified == 20, "cycle \(cycle)")
        }
        // The same 21 within one server window, the probe well inside it: admitted, it proves one more.
        let start = Duration.seconds(15)
        for index in 0..<21 {
            id += 1
            route.recordSend(id: id, now: start + .milliseconds(40 * index), window: Self.window)
        }
        route.recordAnswer(id: id, admitted: true)
        #expect(route.verified == 21)
    }

    @Test func aProbeAfterARefusalInItsWindowProvesNothing() {
        var route = RouteObservation()
        route.verified = 3
        let ids = Self.send(&route, count: 4, from: .zero, spacing: .milliseconds(10), firstId: 1)
        route.recordAnswer(id: ids[1], admitted: false)
        route.recordAnswer(id: ids[3], admitted: true)
        #expect(route.verified == 3)
    }

    @Test func aRefusalCountsTheServersWindowNotTheClients() {
        // The server's fixed window opened at 1.1 s (its first request after the previous one expired) and admits
        // 20. The client, believing 25, sends every 40 ms from 1.1 s; the 21st (1.9 s) is refused, `retry_after`
        // 0.195 s (the window ends at 2.1 s; the refusal was decided 5 ms after the send). Sends before 1.1 s
        // belonged to the window before and must not be counted, though they lie within 1.1 s of the refused one.
        var route = RouteObservation()
        route.verified = 25
        let earlier = Self.send(&route, count: 20, from: .zero, spacing: .milliseconds(50), firstId: 1)
        for id in earlier { route.recordAnswer(id: id, admitted: true) }
        let ids = Self.send(&route, count: 21, from: .milliseconds(1100), spacing: .milliseconds(40), firstId: 21)
        for id in ids.dropLast() { route.recordAnswer(id: id, admitted: true) }
        route.limited(
            id: ids.last!, sentAt: .milliseconds(1900), now: .milliseconds(1910), window: Self.window,
            nominalWindow: .seconds(1), retryAfter: .milliseconds(195))
        #expect(route.limit == 20)
        #expect(route.verified == 20)
    }

    @Test func aRefusedProbeLosesOnlyTheProbe() {
        // The route learned 20 and proved it; a raise to 21 sends one probe beyond the 20 proven. Its `retry_after`
        // says the server's window began 200 ms after the route's first send (a late arrival, a rounded wait): the
        // refusing window's count leaves out the first sends and says 17. The proven 20 stand (the count taught 17,
        // and the route took 3 raises, 4 windows or more apart, to get back).
        var route = Self.learnedRoute(limit: 21, verified: 20)
        let ids = Self.send(&route, count: 21, from: .zero, spacing: .milliseconds(45), firstId: 1)
        for id in ids.dropLast() { route.recordAnswer(id: id, admitted: true) }
        #expect(route.sends.last?.beyondVerified == true)
        route.limited(
            id: ids.last!, sentAt: .milliseconds(900), now: .milliseconds(945), window: Self.window,
            nominalWindow: .seconds(1), retryAfter: .milliseconds(300))
        #expect(route.limit == 20)
        #expect(route.verified == 20)
        // A refusal within the proven count means the limit dropped: down to what the window admitted (never below
        // three quarters of the limit in one step).
        #expect(RouteObservation.learnedLimit(previous: 20, proven: 20, seen: 16, refusedProbe: false) == 16)
        #expect(RouteObservation.learnedLimit(previous: 20, proven: 20, seen: 4, refusedProbe: false) == 15)
        #expect(RouteObservation.learnedLimit(previous: 20, proven: 20, seen: 22, refusedProbe: false) == 20)
        // The first 429 teaches what its window admitted: the count proven before may have been counted over the
        // client's windows (while the headers were believed), which overstate the server's.
        #expect(RouteObservation.learnedLimit(previous: nil, proven: 25, seen: 20, refusedProbe: true) == 20)
    }

    @Test func aRefusalWithinTheProvenCountWidensTheMargin() {
        // Spent with a 20 ms margin, the first send of the server's next window reached it 12 ms before the window it
        // followed had ended: the margin must be at least 32 ms, narrowing by 1 ms per second. A refused probe says
        // nothing about lateness; a limit that fell (refusals long before the window's end) widens it to the widest.
        var route = Self.learnedRoute(limit: 20, verified: 20)
        let ids = Self.send(&route, count: 3, from: .zero, spacing: .milliseconds(50), firstId: 1)
        route.limited(
            id: ids[0], sentAt: .zero, now: .milliseconds(45), window: Self.window, nominalWindow: .seconds(1),
            retryAfter: .milliseconds(12), margin: .milliseconds(20))
        func near(_ floor: Duration, _ expected: Duration) -> Bool {
            abs((floor - expected) / .microseconds(1)) < 1
        }
        #expect(near(route.marginFloor(now: .milliseconds(45)), .milliseconds(32)))
        #expect(near(route.marginFloor(now: .milliseconds(10_045)), .milliseconds(22)))
        route.verified = 0  // the next send is a probe
        let probe = Self.send(&route, count: 1, from: .seconds(11), spacing: .zero, firstId: 10)
        #expect(route.sends.last?.beyondVerified == true)
        route.limited(
            id: probe[0], sentAt: .seconds(11), now: .milliseconds(11_045), window: Self.window,
            nominalWindow: .seconds(1), retryAfter: .milliseconds(400), margin: .milliseconds(22))
        #expect(near(route.marginFloor(now: .milliseconds(11_045)), .milliseconds(21)))
        route.verified = 20
        let fell = Self.send(&route, count: 1, from: .seconds(13), spacing: .zero, firstId: 20)
        #expect(route.sends.last?.beyondVerified == false)
        route.limited(
            id: fell[0], sentAt: .seconds(13), now: .milliseconds(13_045), window: Self.window,
            nominalWindow: .seconds(1), retryAfter: .milliseconds(500), margin: .milliseconds(20))
        #expect(near(route.marginFloor(now: .milliseconds(13_045)), route.boundaryMargin))
    }

    @Test func unansweredSendsBeforeTheRefusalCountAsAdmitted() {
        var route = RouteObservation()
        let ids = Self.send(&route, count: 6, from: .zero, spacing: .milliseconds(10), firstId: 1)
        route.recordAnswer(id: ids[0], admitted: true)
        route.recordAnswer(id: ids[1], admitted: false)
        // ids[2...4] are still out; ids[5] is refused: 1 admitted + 3 unanswered before it.
        route.limited(
            id: ids[5], sentAt: .milliseconds(50), now: .milliseconds(60), window: Self.window,
            nominalWindow: .seconds(1), retryAfter: .milliseconds(900))
        #expect(route.limit == 4)
    }
}
