/// A test-only hold on API answers, so a test can say in which round trip a client sent a request without depending on
/// how fast the machine runs it: while holding, every API answer (after its latency, before it goes out) waits until
/// the test releases the answers held so far. A request that arrives while its client waits for held answers was
/// sent without them. Not a Discord behaviour: nothing is held unless a test asks.
actor AnswerHold {
    private var holding = false
    /// The answers held, each waiting to go out.
    private var held: [CheckedContinuation<Void, Never>] = []

    /// Holds every answer from now on, until ``release(stopHolding:)``.
    func hold() { holding = true }

    /// Called by an API answer before it goes out: returns at once unless answers are held.
    func admit() async {
        guard holding else { return }
        await withCheckedContinuation { held.append($0) }
    }

    /// Lets the answers held so far go out; with `stopHolding`, holds no more. Returns how many went out.
    @discardableResult
    func release(stopHolding: Bool) -> Int {
        if stopHolding { holding = false }
        let released = held
        held = []
        for continuation in released { continuation.resume() }
        return released.count
    }
}
