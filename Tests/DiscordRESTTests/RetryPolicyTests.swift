import Testing

@testable import DiscordREST

@Suite struct RetryPolicyTests {
    @Test func defaultScheduleDoublesFromHalfASecondToEightWithoutJitter() {
        let policy = RetryPolicy()
        #expect(
            policy.schedule(randoms: [0]) == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8)])
        #expect(policy.backoff(beforeRetry: 6, random: 0) == nil)
    }

    @Test func jitterScalesEachWaitWithinItsBand() {
        let policy = RetryPolicy()
        // A deterministic jitter source: with jitter 0.5, random r gives d * (1 - r / 2).
        #expect(
            policy.schedule(randoms: [1, 0.5, 0.25]) == [
                .milliseconds(250), .milliseconds(750), .milliseconds(1750), .seconds(2), .seconds(6),
            ])
    }

    @Test func capHoldsForLongSchedules() {
        let policy = RetryPolicy(maxRetries: 8, initialBackoff: .milliseconds(500), maxBackoff: .seconds(8), jitter: 0)
        #expect(policy.schedule(randoms: [0.9]).suffix(4) == [.seconds(8), .seconds(8), .seconds(8), .seconds(8)])
    }
}
