extension SimulatorServer {
    /// Holds every API answer from now on (after its latency, before it goes out) until
    /// ``releaseHeldAnswers(stopHolding:)``: a test's way to run a client in round trips it controls, so what a
    /// request was sent without is decided by events, not by the machine's speed.
    ///
    /// ```swift
    /// await sim.holdAnswers()
    /// await sim.waitUntilArrived("GET /users/@me")
    /// await sim.releaseHeldAnswers()                       // the first round trip's answers go out
    /// await sim.waitUntilArrived("GET /guilds/{guild.id}/channels")
    /// await sim.releaseHeldAnswers(stopHolding: true)      // everything goes, nothing more is held
    /// ```
    public func holdAnswers() async { await state.answerHold.hold() }

    /// Lets the answers held so far go out; with `stopHolding`, holds no more. Returns how many went out.
    @discardableResult
    public func releaseHeldAnswers(stopHolding: Bool = false) async -> Int {
        await state.answerHold.release(stopHolding: stopHolding)
    }

    /// Waits until `count` API requests of `route` (method and template, as in ``SimulatorStats/byRoute``) have arrived
    /// since the simulator started: counted on arrival, before the latency, admission or a held answer.
    public func waitUntilArrived(_ route: String, count: Int = 1) async {
        await gate.waitUntilArrived(route, count: count)
    }
}
