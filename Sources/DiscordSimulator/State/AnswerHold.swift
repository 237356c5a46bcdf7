/// A test-only hold on API answers, so a test can say in which round trip a client sent a request without depending on
/// how fast the machine runs it: while holding, every API answer (after its latency, before it goes out) waits until
/// the test releases the requests that had arrived by then. A request is released by arrival, not by whether its
/// answer is ready (one still being made when the test releases goes out as soon as it is). A request that arrives
/// while its client waits for held answers was sent without them. Not a Discord behaviour: nothing is held unless a
/// test asks.
actor AnswerHold {
    /// The ticket the next arriving request gets; nil when not holding.
    private var nextTicket: Int?
    /// Requests whose ticket is below this go out.
    private var releasedBelow = 0
    /// The answers held, each waiting to go out with its ticket.
    private var held: [(ticket: Int, continuation: CheckedContinuation<Void, Never>)] = []

    /// Holds every answer of a request arriving from now on, until ``release(stopHolding:)``.
    func hold() {
        if nextTicket == nil { nextTicket = releasedBelow }
    }

    /// Called when an API request arrives: its ticket, or nil when answers are not held.
    func arrive() -> Int? { nextTicket }

    /// Called by an API answer before it goes out: returns once the request's `ticket` is released (at once without
    /// a ticket).
    func admit(_ ticket: Int?) async {
        guard let ticket, ticket >= releasedBelow else { return }
        await withCheckedContinuation { held.append((ticket, $0)) }
    }

    /// Lets the answers of every request arrived so far go out (held or still being made); with `stopHolding`, holds
    /// no more. Returns how many held answers went out now.
    @discardableResult
    func release(stopHolding: Bool) -> Int {
        if let ticket = nextTicket {
            releasedBelow = ticket + 1
            nextTicket = stopHolding ? nil : ticket + 1
        }
        let released = held.filter { $0.ticket < releasedBelow }
        held.removeAll { $0.ticket < releasedBelow }
        for waiter in released { waiter.continuation.resume() }
        return released.count
    }
}
