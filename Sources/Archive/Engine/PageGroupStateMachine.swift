/// Decides when the message pages waiting for the archive commit, together, in one transaction: a pure state
/// machine (no I/O, time given), executed by ``PageGroupWriter``.
///
/// A group commits when it holds ``Limits/maxPages`` pages, when every fetcher that may still add a page is
/// waiting for a commit (waiting longer adds nothing), or when its oldest page has waited ``Limits/linger``,
/// whichever comes first. One group commits at a time; pages arriving meanwhile form the next group. A fetcher
/// hands its pages over without waiting for them (up to a few pages ahead of their commits) and waits for a page's
/// commit before it acknowledges it, so nothing is acknowledged before it is stored, and each page commits with
/// its checkpoint and segment as before (they travel in the page). A fetcher waiting for its page only
/// (``PageGroupWriter/store(_:)``) is a page handed over and waited for at once.
///
/// ```swift
/// var machine = PageGroupStateMachine(limits: .standard)
/// machine.producerStarted()
/// _ = machine.pageArrived(at: now)
/// if case .commit(let count) = machine.producerWaiting(at: now) { commit(first: count) }
/// ```
struct PageGroupStateMachine: Sendable {
    /// How large a group may grow and how long its oldest page may wait.
    struct Limits: Sendable, Equatable {
        /// The most pages in one transaction.
        var maxPages: Int
        /// The longest a page waits for others before its group commits.
        var linger: Duration

        /// Groups of up to 256 pages, a page waiting at most 4 s. The fetchers go on fetching while their pages
        /// wait (``PageGroupWriter/pagesAhead``), so a long linger costs no requests; each commit rewrites the index
        /// leaves its pages insert into (at 1M messages about 20 MB of `message_author` leaves a commit, whatever
        /// its size), so a group of many pages writes fewer WAL frames per message. The memory held is bounded by
        /// the fetchers' pages ahead, not by this limit. A run killed meanwhile fetches the uncommitted pages again
        /// (they were not acknowledged). Measured on the cpu world of 1M messages (README, issue 16, part F): 64
        /// pages, 2 s: 166 commits, 5.5 GB written; 256 pages: 54 commits, 3.5 GB, about a fifth less CPU.
        static let standard = Limits(maxPages: 256, linger: .seconds(4))
    }

    /// What the writer must do next.
    enum Action: Sendable, Equatable {
        /// Nothing now.
        case none
        /// Commit the `count` oldest waiting pages in one transaction, then call ``commitFinished(at:)``.
        case commit(count: Int)
        /// Call ``timerFired(at:)`` at `deadline` (time since the writer started).
        case startTimer(deadline: Duration)
    }

    let limits: Limits
    /// When each waiting page arrived, oldest first.
    private var arrivals: [Duration] = []
    /// Fetchers that may still hand over a page.
    private(set) var producers = 0
    /// Fetchers waiting for a page's commit (they hand over nothing until it is done).
    private(set) var waitingProducers = 0
    /// Waiting fetchers that asked for a commit at once.
    private(set) var urgentWaits = 0
    /// Whether a group is being committed.
    private(set) var committing = false
    /// Whether a timer is running (one at a time; when it fires the deadline is looked at again).
    private var timerRunning = false

    init(limits: Limits) {
        self.limits = Limits(maxPages: max(1, limits.maxPages), linger: max(.zero, limits.linger))
    }

    /// Pages waiting and not yet in a commit.
    var waiting: Int { arrivals.count }

    /// A fetcher begins: until it finishes, a group may wait for its next page.
    mutating func producerStarted() { producers += 1 }

    /// A fetcher is done (or failed): the waiting pages may no longer need to wait for it.
    mutating func producerFinished(at now: Duration) -> Action {
        producers = max(0, producers - 1)
        return decide(at: now)
    }

    /// A page was handed over at `now`.
    mutating func pageArrived(at now: Duration) -> Action {
        arrivals.append(now)
        return decide(at: now)
    }

    /// A fetcher (or a caller outside any fetcher) began waiting for a page's commit at `now`. An `urgent` wait (a
    /// fetcher at the end of its range: nothing of its own comes after) commits what waits at once, so the fetcher
    /// is free for other work without waiting out the linger.
    mutating func producerWaiting(at now: Duration, urgent: Bool = false) -> Action {
        waitingProducers += 1
        if urgent { urgentWaits += 1 }
        return decide(at: now)
    }

    /// A waiting fetcher's page committed (or failed): it may hand over pages again.
    mutating func producerResumed(urgent: Bool = false) {
        waitingProducers = max(0, waitingProducers - 1)
        if urgent { urgentWaits = max(0, urgentWaits - 1) }
    }

    /// The timer started by ``Action/startTimer(deadline:)`` fired.
    mutating func timerFired(at now: Duration) -> Action {
        timerRunning = false
        return decide(at: now)
    }

    /// The group handed out by the last ``Action/commit(count:)`` committed (or failed).
    mutating func commitFinished(at now: Duration) -> Action {
        committing = false
        return decide(at: now)
    }

    private mutating func decide(at now: Duration) -> Action {
        guard !committing, let oldest = arrivals.first else { return .none }
        let deadline = oldest + limits.linger
        if arrivals.count >= limits.maxPages || waitingProducers >= producers || urgentWaits > 0 || now >= deadline {
            let count = min(arrivals.count, limits.maxPages)
            arrivals.removeFirst(count)
            committing = true
            return .commit(count: count)
        }
        guard !timerRunning else { return .none }
        timerRunning = true
        return .startTimer(deadline: deadline)
    }
}
