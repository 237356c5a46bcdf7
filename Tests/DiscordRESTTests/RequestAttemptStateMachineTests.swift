import Testing

@testable import DiscordREST

/// The retry decisions of one request, without I/O (``RequestAttemptStateMachine``).
@Suite struct RequestAttemptStateMachineTests {
    static let policy = RetryPolicy(maxRetries: 3, initialBackoff: .milliseconds(500), maxBackoff: .seconds(8))

    static func machine(canRetry: Bool = true) -> RequestAttemptStateMachine {
        RequestAttemptStateMachine(
            canRetry: canRetry, policy: policy, maxRateLimitWait: .seconds(120), maxRateLimitRetries: 2)
    }

    @Test func transportErrorsBackOffThenGiveUp() {
        var attempts = Self.machine()
        #expect(
            attempts.transportFailed(unreachable: false, reachedServerBefore: true, random: 0)
                == .retry(after: .milliseconds(500)))
        #expect(
            attempts.transportFailed(unreachable: false, reachedServerBefore: true, random: 0)
                == .retry(after: .seconds(1)))
        #expect(
            attempts.transportFailed(unreachable: false, reachedServerBefore: true, random: 0)
                == .retry(after: .seconds(2)))
        #expect(
            attempts.transportFailed(unreachable: false, reachedServerBefore: true, random: 0)
                == .fail(.transport(attempts: 4)))
    }

    @Test func anAddressThatNeverAnsweredIsHopelessAfterTwoTries() {
        var attempts = Self.machine()
        #expect(
            attempts.transportFailed(unreachable: true, reachedServerBefore: false, random: 0)
                == .retry(after: .milliseconds(500)))
        #expect(
            attempts.transportFailed(unreachable: true, reachedServerBefore: false, random: 0)
                == .fail(.transport(attempts: 2)))
        // The same failure on a server that answered before is worth the whole schedule.
        var known = Self.machine()
        _ = known.transportFailed(unreachable: true, reachedServerBefore: true, random: 0)
        #expect(
            known.transportFailed(unreachable: true, reachedServerBefore: true, random: 0) == .retry(after: .seconds(1))
        )
    }

    @Test func aRequestThatMustNotRepeatIsNeverRetried() {
        var attempts = Self.machine(canRetry: false)
        #expect(
            attempts.transportFailed(unreachable: false, reachedServerBefore: true, random: 0)
                == .fail(.transport(attempts: 1)))
        #expect(attempts.serverError(random: 0) == .fail(.server(attempts: 2)))
        #expect(attempts.undecodableBody(truncated: true, random: 0) == .fail(.undecodable))
        // A 429 was not processed by Discord: always sent again.
        #expect(attempts.rateLimited(scope: .user, retryAfter: .seconds(1)) == .sendAgain)
    }

    @Test func serverErrorsAndTruncatedBodiesShareTheSchedule() {
        var attempts = Self.machine()
        #expect(attempts.serverError(random: 1) == .retry(after: .milliseconds(250)))  // jitter halves the wait
        #expect(attempts.undecodableBody(truncated: true, random: 0) == .retry(after: .seconds(1)))
        // A complete body that does not decode is a bug or a changed API: no retry.
        #expect(attempts.undecodableBody(truncated: false, random: 0) == .fail(.undecodable))
    }

    @Test func rateLimitsAreSentAgainUntilTheWaitOrTheCountIsTooLong() {
        var attempts = Self.machine()
        #expect(attempts.rateLimited(scope: .shared, retryAfter: .seconds(3)) == .sendAgain)
        #expect(attempts.rateLimited(scope: .user, retryAfter: .seconds(1)) == .sendAgain)
        // The third 429 is one too many (a wait of 1 s is not too long: the count is).
        #expect(
            attempts.rateLimited(scope: .user, retryAfter: .seconds(1))
                == .fail(.rateLimitedTooOften(count: 3, retryAfter: .seconds(1), scope: .user)))
        var long = Self.machine()
        #expect(
            long.rateLimited(scope: .global, retryAfter: .seconds(300))
                == .fail(.rateLimitedTooLong(retryAfter: .seconds(300), scope: .global)))
        // 429s do not use up the retries of failures.
        #expect(long.failures == 0)
    }
}
