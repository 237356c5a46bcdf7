import ArchiveStore
import Foundation

/// Stores the pages the channel fetchers hand over several at a time: pages (of any channels) waiting together
/// commit in one transaction through ``MessageStore/storeMessagePages(_:)``, as ``PageGroupStateMachine`` decides.
///
/// A fetcher hands its pages over (``handOver(_:in:)``) and keeps fetching; it waits for a page's commit
/// (``outcome(of:)``) before it acknowledges the page, so nothing is acknowledged before it is stored, and its page
/// carries its checkpoint and segment into the same transaction. The pages of one ``Lane`` (a fetcher's range)
/// commit in the order they were handed over; once one of them fails, the lane's later pages are not stored
/// (``EarlierPageFailed``), so a segment's cursor never passes a page that is not stored. A commit runs in a task of
/// its own, so a cancelled run (SIGINT, SIGTERM) still commits the pages it handed over before the fetchers return.
/// When a group fails, each of its pages is stored again on its own, so a page's error reaches its own fetcher
/// only.
///
/// ```swift
/// let writer = PageGroupWriter(store: store, clock: ContinuousClock())
/// let result = try await writer.producing { try await writer.store(page) }
/// ```
actor PageGroupWriter {
    private typealias Waiter = CheckedContinuation<MessagePageResult, any Error>

    /// Stores a group of pages in one transaction (``MessageStore/storeMessagePages(_:)``).
    typealias Commit = @Sendable ([MessagePage]) async throws -> [MessagePageResult]

    /// The pages of one fetcher's range: they commit in order, and none after one that failed.
    struct Lane: Hashable, Sendable {
        fileprivate let number: Int
    }

    /// A page handed over, to wait for with ``outcome(of:)``.
    struct Ticket: Hashable, Sendable {
        fileprivate let number: Int
    }

    /// How many pages of a lane a fetcher hands over before it waits for the oldest one's commit (the memory a
    /// fetcher holds: this many pages of up to 100 messages).
    static let pagesAhead = 6

    /// A page not stored because an earlier page of its lane failed.
    struct EarlierPageFailed: Error {}

    private struct Entry: Sendable {
        let ticket: Ticket
        let page: MessagePage
        let lane: Lane?
    }

    private let commit: Commit
    private var machine: PageGroupStateMachine
    private var queue: [Entry] = []
    /// Fetchers waiting for a page, by its ticket.
    private var waiters: [Ticket: (waiter: Waiter, urgent: Bool)] = [:]
    /// How pages nobody waited for yet ended.
    private var outcomes: [Ticket: Result<MessagePageResult, any Error>] = [:]
    private var failedLanes: Set<Lane> = []
    private var lastNumber = 0
    private let elapsed: @Sendable () -> Duration
    private let sleep: @Sendable (Duration) async throws -> Void

    /// A writer into `store` whose lingering is timed by `clock`.
    init<C: Clock>(
        store: any MessageStore, clock: C, limits: PageGroupStateMachine.Limits = .standard
    ) where C.Duration == Duration {
        self.init(clock: clock, limits: limits) { try await store.storeMessagePages($0) }
    }

    /// A writer that commits each group through `commit`, lingering timed by `clock`.
    init<C: Clock>(
        clock: C, limits: PageGroupStateMachine.Limits = .standard, commit: @escaping Commit
    ) where C.Duration == Duration {
        self.commit = commit
        self.machine = PageGroupStateMachine(limits: limits)
        let start = clock.now
        self.elapsed = { start.duration(to: clock.now) }
        self.sleep = { deadline in try await clock.sleep(until: start.advanced(by: deadline), tolerance: nil) }
    }

    /// Runs `body` as a fetcher that may hand over pages: while it runs, waiting pages may wait for its next one.
    nonisolated func producing<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await started()
        do {
            let value = try await body()
            await finished()
            return value
        } catch {
            await finished()
            throw error
        }
    }

    /// A new lane for the pages of one range.
    func newLane() -> Lane {
        lastNumber += 1
        return Lane(number: lastNumber)
    }

    /// Stores `page` with the pages waiting with it; returns once it committed.
    /// - Throws: what storing the page on its own throws.
    func store(_ page: MessagePage) async throws -> MessagePageResult {
        try await outcome(of: handOver(page, in: nil))
    }

    /// Hands `page` over without waiting for its commit; pages of `lane` commit in the order they are handed over.
    func handOver(_ page: MessagePage, in lane: Lane?) -> Ticket {
        lastNumber += 1
        let ticket = Ticket(number: lastNumber)
        if let lane, failedLanes.contains(lane) {
            outcomes[ticket] = .failure(EarlierPageFailed())
            return ticket
        }
        queue.append(Entry(ticket: ticket, page: page, lane: lane))
        perform(machine.pageArrived(at: elapsed()))
        return ticket
    }

    /// Waits for the commit of the page handed over as `ticket` (once per ticket); `urgent` (a fetcher at the end of
    /// its range) commits the waiting pages at once instead of after the linger.
    /// - Throws: what storing the page on its own threw, or ``EarlierPageFailed``.
    func outcome(of ticket: Ticket, urgent: Bool = false) async throws -> MessagePageResult {
        if let outcome = outcomes.removeValue(forKey: ticket) { return try outcome.get() }
        return try await withCheckedThrowingContinuation { (waiter: Waiter) in
            waiters[ticket] = (waiter, urgent)
            perform(machine.producerWaiting(at: elapsed(), urgent: urgent))
        }
    }

    /// Pages handed over and not yet in a commit.
    var waitingPages: Int { machine.waiting }

    private func started() { machine.producerStarted() }

    private func finished() { perform(machine.producerFinished(at: elapsed())) }

    private func perform(_ action: PageGroupStateMachine.Action) {
        switch action {
        case .none:
            break
        case .startTimer(let deadline):
            let sleep = sleep
            Task {
                try? await sleep(deadline)
                self.timerFired()
            }
        case .commit(let count):
            var group = Array(queue.prefix(count))
            queue.removeFirst(count)
            // A lane that failed in an earlier group stores nothing more.
            let dropped = group.filter { $0.lane.map(failedLanes.contains) ?? false }
            group.removeAll { $0.lane.map(failedLanes.contains) ?? false }
            let commit = commit
            Task {
                let results = await Self.commit(group, through: commit)
                self.finish(results + dropped.map { ($0.ticket, $0.lane, .failure(EarlierPageFailed())) })
            }
        }
    }

    private func timerFired() { perform(machine.timerFired(at: elapsed())) }

    /// Hands each page's outcome to its fetcher (or keeps it until asked), then lets the next group form.
    private func finish(_ results: [(Ticket, Lane?, Result<MessagePageResult, any Error>)]) {
        for (ticket, lane, result) in results {
            if case .failure = result, let lane { failedLanes.insert(lane) }
            if let waiting = waiters.removeValue(forKey: ticket) {
                machine.producerResumed(urgent: waiting.urgent)
                waiting.waiter.resume(with: result)
            } else {
                outcomes[ticket] = result
            }
        }
        perform(machine.commitFinished(at: elapsed()))
    }

    private static func commit(_ group: [Entry], through commit: Commit) async -> [(
        Ticket, Lane?, Result<MessagePageResult, any Error>
    )] {
        guard !group.isEmpty else { return [] }
        do {
            let results = try await commit(group.map(\.page))
            return zip(group, results).map { ($0.ticket, $0.lane, .success($1)) }
        } catch {
            if group.count == 1 { return [(group[0].ticket, group[0].lane, .failure(error))] }
        }
        var failed: Set<Lane> = []
        var results: [(Ticket, Lane?, Result<MessagePageResult, any Error>)] = []
        for entry in group {
            if let lane = entry.lane, failed.contains(lane) {
                results.append((entry.ticket, lane, .failure(EarlierPageFailed())))
                continue
            }
            do {
                let result = try await commit([entry.page])
                results.append((entry.ticket, entry.lane, .success(result[0])))
            } catch {
                if let lane = entry.lane { failed.insert(lane) }
                results.append((entry.ticket, entry.lane, .failure(error)))
            }
        }
        return results
    }
}
