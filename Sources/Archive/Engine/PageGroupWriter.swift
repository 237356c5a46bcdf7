import ArchiveStore
import Foundation

/// Stores the pages the channel fetchers hand over several at a time: pages (of any channels) waiting together
/// commit in one transaction through ``MessageStore/storeMessagePages(_:)``, as ``PageGroupStateMachine`` decides.
///
/// A fetcher's ``store(_:)`` returns only after its page committed (so nothing is acknowledged before it is
/// stored), and its page carries its checkpoint and segment into the same transaction. A commit runs in a task of
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

    private let commit: Commit
    private var machine: PageGroupStateMachine
    private var queue: [(page: MessagePage, waiter: Waiter)] = []
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

    /// Stores `page` with the pages waiting with it; returns once it committed.
    /// - Throws: what storing the page on its own throws.
    func store(_ page: MessagePage) async throws -> MessagePageResult {
        try await withCheckedThrowingContinuation { (waiter: Waiter) in
            queue.append((page, waiter))
            perform(machine.pageArrived(at: elapsed()))
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
                await self.timerFired()
            }
        case .commit(let count):
            let group = Array(queue.prefix(count))
            queue.removeFirst(count)
            let commit = commit
            Task {
                await Self.commit(group, through: commit)
                await self.commitFinished()
            }
        }
    }

    private func timerFired() { perform(machine.timerFired(at: elapsed())) }

    private func commitFinished() { perform(machine.commitFinished(at: elapsed())) }

    private static func commit(_ group: [(page: MessagePage, waiter: Waiter)], through commit: Commit) async {
        do {
            let results = try await commit(group.map(\.page))
            for (entry, result) in zip(group, results) { entry.waiter.resume(returning: result) }
            return
        } catch {
            if group.count == 1 {
                group[0].waiter.resume(throwing: error)
                return
            }
        }
        for entry in group {
            do {
                let result = try await commit([entry.page])
                entry.waiter.resume(returning: result[0])
            } catch {
                entry.waiter.resume(throwing: error)
            }
        }
    }
}
