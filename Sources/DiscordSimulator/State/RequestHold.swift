/// A test-only pause of one kind of request, so a test can kill a client while such a request is in flight: once set,
/// the first `after` requests go through, and every later one is held — its body received, nothing done — until
/// released. Released with `drop`, a held request is lost in transit (its connection is cut, nothing happened), as
/// when the client dies mid-request; without, it goes on as if it had just arrived. Not a Discord behaviour: nothing
/// is held unless a test asks. Used for uploads (`POST /__sim/uploads/hold`: message posts carrying files), message
/// history pages that continue a channel (``SimulatorServer/holdMessagePages(after:)``) and attachment downloads
/// (``SimulatorServer/holdAttachmentDownloads(after:)``: held halfway through the body).
actor RequestHold {
    /// Requests still let through before holding begins; nil when not holding.
    private var remaining: Int?
    /// The requests held, each waiting for its verdict (true: go on, false: dropped).
    private var held: [CheckedContinuation<Bool, Never>] = []
    /// Requests held since the hold was set (released ones included).
    private var heldCount = 0
    /// Waiters for a number of held requests.
    private var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    /// Requests that did their work since the hold was set (told by ``completed()``), and waiters for a number of
    /// them: a test waits for a released request to have done it before it goes on.
    private var completedCount = 0
    private var completionWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    /// Whether a hold is set (requests past `after` will be held).
    var isSet: Bool { remaining != nil }

    /// Lets the next `after` requests through and holds every later one, until ``release(drop:)``.
    func hold(after: Int) {
        remaining = max(0, after)
        heldCount = 0
        completedCount = 0
    }

    /// Called by a request once it has done its work (a message created).
    func completed() {
        completedCount += 1
        let ready = completionWaiters.filter { $0.count <= completedCount }
        completionWaiters.removeAll { $0.count <= completedCount }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Waits until `count` requests have done their work since the hold was set (those let through before it
    /// began and those released to go on).
    func waitUntilCompleted(_ count: Int) async {
        if completedCount >= count { return }
        await withCheckedContinuation { completionWaiters.append((count, $0)) }
    }

    /// Called by a request before it does anything: true to go on, false when it was dropped.
    func admit() async -> Bool {
        guard let left = remaining else { return true }
        if left > 0 {
            remaining = left - 1
            return true
        }
        return await withCheckedContinuation { continuation in
            held.append(continuation)
            heldCount += 1
            let ready = waiters.filter { $0.count <= heldCount }
            waiters.removeAll { $0.count <= heldCount }
            for waiter in ready { waiter.continuation.resume() }
        }
    }

    /// Ends the hold: the held requests go on, or are dropped with `drop`. Returns how many were held.
    @discardableResult
    func release(drop: Bool) -> Int {
        remaining = nil
        let released = held
        held = []
        for continuation in released { continuation.resume(returning: !drop) }
        let stranded = waiters
        waiters = []
        for waiter in stranded { waiter.continuation.resume() }
        return released.count
    }

    /// Waits until `count` requests have been held since the hold was set (or the hold is released).
    func waitUntilHeld(_ count: Int) async {
        if heldCount >= count { return }
        await withCheckedContinuation { waiters.append((count, $0)) }
    }

    /// Requests held now, and since the hold was set.
    var counts: (now: Int, total: Int) { (held.count, heldCount) }
}
