import ArchiveStore
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Runs the scheduled jobs of a bot: at each job's time it takes the job's lease in the store (so two bot processes
/// on one PostgreSQL archive never run the same job at once), records the run (start, end, outcome) and runs the
/// job's action. ``stop()`` lets a running job finish.
public final class JobRunner: Sendable {
    /// What a job does: returns a one-line summary, or throws.
    public typealias Action = @Sendable (JobDefinition) async throws -> String

    let store: any BotStateStore
    let holder: String
    let actions: [String: Action]
    let health: BotHealth
    let logger: Logger
    let now: @Sendable () -> Date
    /// Whether a lease's holder is a process known to be gone (``JobLeaseHolder/isGone(_:)``).
    let holderIsGone: @Sendable (String) -> Bool
    /// How long a lease lasts without being given back (a crashed process's lease expires).
    public let leaseDuration: TimeInterval
    private let state: NIOLockedValueBox<(schedule: JobSchedule, stopping: Bool, sleeper: Task<Void, Never>?)>

    /// A runner of `jobs`; `actions` maps a built-in job kind to what it does.
    public init(
        jobs: [JobDefinition], store: any BotStateStore, holder: String, actions: [String: Action],
        health: BotHealth, logger: Logger, leaseDuration: TimeInterval = 6 * 3600,
        now: @escaping @Sendable () -> Date = { Date() },
        holderIsGone: @escaping @Sendable (String) -> Bool = JobLeaseHolder.isGone
    ) {
        self.holderIsGone = holderIsGone
        self.store = store
        self.holder = holder
        self.actions = actions
        self.health = health
        self.logger = logger
        self.leaseDuration = leaseDuration
        self.now = now
        state = NIOLockedValueBox((JobSchedule(jobs: jobs, now: now()), false, nil))
    }

    /// The schedule now (the next run of each job).
    public var schedule: JobSchedule { state.withLockedValue { $0.schedule } }

    /// Replaces the jobs (SIGHUP reload).
    public func reload(jobs: [JobDefinition]) {
        let sleeper = state.withLockedValue { state -> Task<Void, Never>? in
            state.schedule.replace(with: jobs, now: now())
            return state.sleeper
        }
        sleeper?.cancel()
    }

    /// Stops after the running job, if any, finishes.
    public func stop() {
        let sleeper = state.withLockedValue { state -> Task<Void, Never>? in
            state.stopping = true
            return state.sleeper
        }
        sleeper?.cancel()
    }

    /// Runs jobs at their times until ``stop()``.
    public func run() async {
        while true {
            let (due, wake, stopping) = state.withLockedValue { state in
                (state.schedule.due(at: now()), state.schedule.nextWake, state.stopping)
            }
            if stopping { return }
            for job in due { _ = await run(job) }
            let seconds = min(max((wake ?? now().addingTimeInterval(60)).timeIntervalSince(now()), 0.01), 60)
            let sleeper = Task<Void, Never> { _ = try? await Task.sleep(for: .milliseconds(Int(seconds * 1000))) }
            let stopped = state.withLockedValue { state -> Bool in
                state.sleeper = sleeper
                return state.stopping
            }
            if stopped { sleeper.cancel() }
            await sleeper.value
        }
    }

    /// Takes the lease of `job`: free, expired, or held by a process of this host that no longer runs (killed during
    /// the job: its lease would otherwise keep the job from running for ``leaseDuration``), whose unfinished run is
    /// then recorded as interrupted.
    func takeLease(of job: JobDefinition, at start: Date) async throws -> Bool {
        let until = start.addingTimeInterval(leaseDuration)
        if try await store.acquireJobLease(job.name, holder: holder, until: until, now: start) { return true }
        guard let previous = try await store.jobLeaseHolder(job.name), previous != holder, holderIsGone(previous)
        else { return false }
        // Given back in its name: if two processes see it gone at once, one of them takes the lease below.
        try await store.releaseJobLease(job.name, holder: previous)
        guard try await store.acquireJobLease(job.name, holder: holder, until: until, now: start) else { return false }
        logger.warning("job \(job.name): took over the lease of \(previous), which no longer runs")
        for var run in try await store.jobRuns(job: job.name, limit: 10)
        where run.holder == previous && run.finishedAt == nil {
            run.finishedAt = start
            run.outcome = "interrupted"
            run.detail = "the process \(previous) ended during the run (killed or crashed)"
            try await store.recordJobRun(run)
        }
        return true
    }

    /// Runs one job now, under its lease. Returns the run, or nil when another process holds the lease.
    public func run(_ job: JobDefinition) async -> JobRun? {
        let start = now()
        do {
            guard try await takeLease(of: job, at: start) else {
                logger.info("job \(job.name) is running elsewhere; skipped")
                return nil
            }
        } catch {
            health.update { $0.storeError = "\(error)" }
            logger.error("job \(job.name): cannot take its lease", metadata: ["error": "\(error)"])
            return nil
        }
        var record = JobRun(job: job.name, holder: holder, startedAt: start)
        try? await store.recordJobRun(record)
        do {
            guard let action = actions[job.kind] else { throw JobError(message: "no action for job \(job.kind)") }
            record.detail = try await action(job)
            record.outcome = "succeeded"
        } catch {
            record.detail = "\(error)"
            record.outcome = "failed"
            logger.error("job \(job.name) failed", metadata: ["error": "\(error)"])
        }
        record.finishedAt = now()
        try? await store.recordJobRun(record)
        try? await store.releaseJobLease(job.name, holder: holder)
        let outcome = record.outcome
        health.update { $0.jobRuns[outcome, default: 0] += 1 }
        return record
    }
}
