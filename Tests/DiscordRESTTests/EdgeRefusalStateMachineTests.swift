import Testing

@testable import DiscordREST

/// Discord's edge refusing the IP address: which answers are its refusals, and what requests do then, in virtual
/// time (`now` passed in).
@Suite struct EdgeRefusalStateMachineTests {
    @Test func onlyA429Or403WithoutDiscordsJSONAndWithoutRateLimitHeadersIsTheEdges() {
        let none = RateLimitHeaders(retryAfter: 3600)
        #expect(EdgeRefusalStateMachine.isRefusal(status: 429, headers: none, hasDiscordErrorBody: false))
        #expect(EdgeRefusalStateMachine.isRefusal(status: 403, headers: .init(), hasDiscordErrorBody: false))
        // Discord's own answers: a JSON body, or rate-limit headers (a global 429 has `X-RateLimit-Global` only).
        #expect(!EdgeRefusalStateMachine.isRefusal(status: 429, headers: none, hasDiscordErrorBody: true))
        #expect(!EdgeRefusalStateMachine.isRefusal(status: 403, headers: .init(), hasDiscordErrorBody: true))
        let bucket = RateLimitHeaders(limit: 5, remaining: 0, resetAfter: 1, bucket: "abc", scope: "user")
        #expect(!EdgeRefusalStateMachine.isRefusal(status: 429, headers: bucket, hasDiscordErrorBody: false))
        let global = RateLimitHeaders(isGlobal: true, retryAfter: 1)
        #expect(!EdgeRefusalStateMachine.isRefusal(status: 429, headers: global, hasDiscordErrorBody: false))
        // A 401 stops the token anyway; a 5xx page is retried with backoff as before.
        #expect(!EdgeRefusalStateMachine.isRefusal(status: 401, headers: .init(), hasDiscordErrorBody: false))
        #expect(!EdgeRefusalStateMachine.isRefusal(status: 502, headers: .init(), hasDiscordErrorBody: false))
    }

    @Test func aOneShotCommandSendsNothingAfterTheFirstRefusal() {
        var edge = EdgeRefusalStateMachine(policy: .stop)
        #expect(edge.admit(now: .zero) == .send)
        let change = edge.refused(status: 429, retryAfter: nil, probe: false, now: .seconds(1))
        let ban = EdgeRefusalStateMachine.Ban(status: 429, since: .seconds(1), retryAfter: nil)
        #expect(change == .began(ban))
        // Requests in flight when it began are refused too: nothing changes.
        #expect(edge.refused(status: 429, retryAfter: nil, probe: false, now: .seconds(1)) == nil)
        // Never a probe, however long the command keeps asking.
        for hour in 0...3 {
            #expect(edge.admit(now: .seconds(1 + 3600 * hour)) == .refuse(ban))
        }
        #expect(edge.answered(probe: false, now: .seconds(2)) == nil)
        #expect(edge.ban == ban)
    }

    @Test func aLongRunningCommandProbesAHandfulOfTimesAnHourThenGoesOn() {
        var edge = EdgeRefusalStateMachine(policy: .waitOut(.init()))
        _ = edge.refused(status: 403, retryAfter: nil, probe: false, now: .zero)
        #expect(edge.admit(now: .seconds(10)) == .wait(until: .seconds(300)))
        // A ban of two hours: every probe is refused until then.
        var now = Duration.zero
        var probes: [Duration] = []
        while now < .seconds(7200) {
            switch edge.admit(now: now) {
            case .probe:
                probes.append(now)
                // Everyone else waits for the probe's answer.
                #expect(edge.admit(now: now) == .waitForProbe)
                now += .seconds(1)
                _ = edge.refused(status: 403, retryAfter: nil, probe: true, now: now)
            case .wait(let until):
                now = until
            default:
                Issue.record("unexpected admission at \(now)")
                return
            }
        }
        // 300, 901, 2102, 3303 (each refused a second later; the wait doubles, then stays at 20 min): four in the
        // first hour, three an hour after.
        let expected: [Duration] = [300, 901, 2102, 3303, 4504, 5705, 6906].map { .seconds($0) }
        #expect(probes == expected)
        #expect(probes.filter { $0 < .seconds(3600) }.count == 4)
        // The next probe (due at 8107 s) is answered by Discord: the ban ends, and requests go again.
        let due = now
        #expect(due == .seconds(8107))
        #expect(edge.admit(now: due) == .probe)
        let ended = edge.answered(probe: true, now: due + .milliseconds(80))
        guard case .ended(_, let lasted, let count) = ended else {
            Issue.record("expected the ban to end, got \(String(describing: ended))")
            return
        }
        #expect(lasted == due + .milliseconds(80) && count == 8)
        #expect(edge.admit(now: due + .seconds(1)) == .send)
    }

    @Test func aCallerThatDoesNotWaitIsRefusedDuringABanThatOthersWaitOut() {
        var edge = EdgeRefusalStateMachine(policy: .waitOut(.init()))
        #expect(edge.admit(now: .zero, waits: false) == .send)
        _ = edge.refused(status: 429, retryAfter: nil, probe: false, now: .zero)
        let ban = EdgeRefusalStateMachine.Ban(status: 429, since: .zero, retryAfter: nil)
        // A scheduled job fails at once while the probe is not due, or is out; when it is due, the job probes.
        #expect(edge.admit(now: .seconds(299), waits: false) == .refuse(ban))
        #expect(edge.admit(now: .seconds(300), waits: false) == .probe)
        #expect(edge.admit(now: .seconds(300), waits: false) == .refuse(ban))
        #expect(edge.admit(now: .seconds(300)) == .waitForProbe)
    }

    @Test func aLongerRetryAfterIsHonouredAndAShorterOneDoesNotSpeedProbesUp() {
        var long = EdgeRefusalStateMachine(policy: .waitOut(.init()))
        _ = long.refused(status: 429, retryAfter: .seconds(3540), probe: false, now: .seconds(60))
        #expect(long.admit(now: .seconds(61)) == .wait(until: .seconds(3600)))
        var short = EdgeRefusalStateMachine(policy: .waitOut(.init()))
        _ = short.refused(status: 429, retryAfter: .seconds(1), probe: false, now: .zero)
        #expect(short.admit(now: .seconds(2)) == .wait(until: .seconds(300)))
    }

    @Test func onlyTheProbeEndsABanAndALostProbeIsTriedAgainAfterTheSameWait() {
        var edge = EdgeRefusalStateMachine(policy: .waitOut(.init()))
        _ = edge.refused(status: 429, retryAfter: nil, probe: false, now: .zero)
        // Sent before the ban began, answered by Discord after: says nothing of the edge now.
        #expect(edge.answered(probe: false, now: .seconds(1)) == nil)
        #expect(edge.ban != nil)
        #expect(edge.admit(now: .seconds(300)) == .probe)
        // The probe was cancelled before it went: the next request probes at once.
        edge.probeWithdrawn()
        #expect(edge.admit(now: .seconds(300)) == .probe)
        // No answer (or a 5xx): again after the same wait, not a longer one.
        edge.unanswered(probe: true, now: .seconds(301))
        #expect(edge.admit(now: .seconds(302)) == .wait(until: .seconds(601)))
    }
}
