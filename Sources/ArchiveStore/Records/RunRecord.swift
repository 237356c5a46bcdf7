import Foundation

/// One run of a command that writes the archive (`skald archive`), for `skald stats` and summaries.
public struct RunRecord: Sendable, Hashable, Codable {
    /// The run's id.
    public var id: UUID
    /// What ran, e.g. `"archive"`.
    public var command: String
    /// When the run started.
    public var startedAt: Date
    /// When it ended (`nil` while running or after a crash).
    public var finishedAt: Date?
    /// How it ended.
    public var status: RunStatus
    /// Free-form counters (`messagesStored`, `requests`, …), kept as given.
    public var counts: [String: Int]
    /// Channels that failed or were skipped during the run.
    public var issues: [RunIssue]

    /// Makes a record.
    public init(
        id: UUID, command: String, startedAt: Date, finishedAt: Date? = nil, status: RunStatus = .running,
        counts: [String: Int] = [:], issues: [RunIssue] = []
    ) {
        self.id = id
        self.command = command
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.status = status
        self.counts = counts
        self.issues = issues
    }
}
