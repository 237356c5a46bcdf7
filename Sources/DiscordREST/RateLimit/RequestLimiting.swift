/// What the client needs from a limiter; lets ``DiscordClient`` hold a ``RateLimiter`` of any clock.
protocol RequestLimiting: Actor {
    func acquire(_ route: RouteKey, ledger: InvalidRequestLedger?) async throws -> RateLimitStateMachine.Permit
    func complete(
        _ permit: RateLimitStateMachine.Permit, response: RateLimitStateMachine.Response,
        ledger: InvalidRequestLedger?
    ) -> RateLimitStateMachine.Verdict
    func cancel(_ permit: RateLimitStateMachine.Permit)
    func cancelUncounted(_ permit: RateLimitStateMachine.Permit)
    func sleep(for duration: Duration) async throws
    func invalidRequestCount() -> Int
    func requestCount() -> Int
    func bucketWindow(for route: RouteKey) -> (ceiling: Int, window: Duration)?
    func roundTrip(of route: RouteKey) -> Duration?
}

extension RateLimiter: RequestLimiting {}
