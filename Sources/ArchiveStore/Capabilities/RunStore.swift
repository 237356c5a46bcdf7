import DiscordModels
import Foundation

/// The run log: when each archive run started and ended, its counters, and the channels it failed or skipped.
///
/// ```swift
/// try await store.startRun(RunRecord(id: id, command: "archive", startedAt: Date()))
/// try await store.finishRun(id, status: .succeeded, counts: ["messages": 120], at: Date())
/// ```
public protocol RunStore: Sendable {
    /// Records the start of a run.
    func startRun(_ run: RunRecord) async throws

    /// Records a channel that failed or was skipped during a run.
    /// - Throws: ``ArchiveStoreError/unknownRun(_:)`` when the run was never started.
    func recordRunIssue(_ issue: RunIssue, run: UUID) async throws

    /// Records how a run ended and its counters.
    /// - Throws: ``ArchiveStoreError/unknownRun(_:)`` when the run was never started.
    func finishRun(_ run: UUID, status: RunStatus, counts: [String: Int], at date: Date) async throws

    /// The most recent runs (newest first) with their issues.
    func runs(limit: Int) async throws -> [RunRecord]
}
