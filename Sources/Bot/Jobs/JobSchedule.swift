import Foundation

/// When each job runs next: a pure schedule over injected time. ``due(at:)`` hands out the jobs whose time came and
/// moves each to its next run after `now` (runs missed while the process was down or busy are not repeated).
///
/// ```swift
/// var schedule = JobSchedule(jobs: jobs, now: clock())
/// let run = schedule.due(at: clock())        // jobs to start now
/// let wake = schedule.nextWake                // when to look again
/// ```
public struct JobSchedule: Sendable {
    /// The jobs, by name.
    public private(set) var jobs: [JobDefinition]
    /// The next run of each job (absent: never, e.g. `0 0 30 2 *`).
    public private(set) var nextRuns: [String: Date] = [:]

    /// A schedule with each job's first run after `now`.
    public init(jobs: [JobDefinition], now: Date) {
        self.jobs = jobs
        for job in jobs { nextRuns[job.name] = job.cron.next(after: now) }
    }

    /// Replaces the jobs (a config reload): kept jobs whose expression is unchanged keep their next run.
    public mutating func replace(with newJobs: [JobDefinition], now: Date) {
        var runs: [String: Date] = [:]
        for job in newJobs {
            let old = jobs.first { $0.name == job.name }
            runs[job.name] = old?.cron == job.cron ? nextRuns[job.name] : job.cron.next(after: now)
        }
        jobs = newJobs
        nextRuns = runs
    }

    /// The jobs due at `now` (in definition order); each moves to its first run after `now`.
    public mutating func due(at now: Date) -> [JobDefinition] {
        var result: [JobDefinition] = []
        for job in jobs {
            guard let next = nextRuns[job.name], next <= now else { continue }
            result.append(job)
            nextRuns[job.name] = job.cron.next(after: now)
        }
        return result
    }

    /// The earliest next run, or nil when nothing is scheduled.
    public var nextWake: Date? { nextRuns.values.min() }
}
