import DiscordModels
import Foundation

/// What `skald bot` keeps besides the archive: per-guild settings (a JSON document over the config's defaults,
/// with the history of changes), job leases (one running instance per job across processes) and job runs.
public protocol BotStateStore: Sendable {
    /// The guild's own settings document (a JSON object), or nil when none was set.
    func guildSettings(_ guild: Snowflake<Guild>) async throws -> Data?

    /// Sets (or, with nil, removes) one top-level key of the guild's settings, keeping the change in the history.
    /// `value` is JSON text.
    func setGuildSetting(_ guild: Snowflake<Guild>, key: String, value: Data?, at date: Date) async throws

    /// The guild's setting changes, oldest first.
    func guildSettingChanges(_ guild: Snowflake<Guild>) async throws -> [SettingChange]

    /// Takes the lease of `job` for `holder` until `until`, if it is free, expired or already `holder`'s.
    /// - Returns: whether `holder` holds it now.
    func acquireJobLease(_ job: String, holder: String, until: Date, now: Date) async throws -> Bool

    /// Who holds the lease of `job` (expired or not), if anyone.
    func jobLeaseHolder(_ job: String) async throws -> String?

    /// Gives the lease of `job` back if `holder` holds it.
    func releaseJobLease(_ job: String, holder: String) async throws

    /// Records a job run (inserting or replacing it by id).
    func recordJobRun(_ run: JobRun) async throws

    /// The most recent runs (of `job` when given), newest first.
    func jobRuns(job: String?, limit: Int) async throws -> [JobRun]

    /// Reclaims free space and refreshes the planner's statistics (the `vacuum` job).
    func vacuum() async throws

    /// Checks the database's own integrity (the `store-verify` job): a one-line result, or a thrown error naming
    /// what is damaged.
    func verifyIntegrity() async throws -> String
}

/// One change of a guild setting (see ``BotStateStore``).
public struct SettingChange: Sendable, Hashable, Codable {
    /// The key.
    public var key: String
    /// The JSON text before (nil: unset).
    public var oldValue: String?
    /// The JSON text after (nil: removed).
    public var newValue: String?
    /// When.
    public var at: Date

    /// Makes a change record.
    public init(key: String, oldValue: String?, newValue: String?, at: Date) {
        self.key = key
        self.oldValue = oldValue
        self.newValue = newValue
        self.at = at
    }
}

/// One run of a scheduled job.
public struct JobRun: Sendable, Hashable, Codable {
    /// The run's id.
    public var id: UUID
    /// The job's name.
    public var job: String
    /// Which process ran it.
    public var holder: String
    /// When it started.
    public var startedAt: Date
    /// When it ended (nil while running).
    public var finishedAt: Date?
    /// `running`, `succeeded` or `failed`.
    public var outcome: String
    /// What it did or why it failed.
    public var detail: String?

    /// Makes a run record.
    public init(
        id: UUID = UUID(), job: String, holder: String, startedAt: Date, finishedAt: Date? = nil,
        outcome: String = "running", detail: String? = nil
    ) {
        self.id = id
        self.job = job
        self.holder = holder
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.detail = detail
    }
}
