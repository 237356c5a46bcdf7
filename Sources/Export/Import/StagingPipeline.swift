import ArchiveStore
import Foundation

/// Stages an import's batches while the importer reads the next one: at most one store write is in flight, so
/// reading and writing overlap and memory stays at two batches.
struct StagingPipeline {
    let store: any ImportStore
    let stage: UUID
    private var inFlight: Task<Void, any Error>?

    init(store: any ImportStore, stage: UUID) {
        self.store = store
        self.stage = stage
    }

    /// Waits for the previous batch's write (throwing its error), then starts writing `batch`.
    mutating func stage(_ batch: [ImportedMessage]) async throws {
        try await finish()
        let store = self.store
        let stage = self.stage
        inFlight = Task { try await store.stageImportedMessages(batch, stage: stage) }
    }

    /// Waits for the write in flight, throwing its error.
    mutating func finish() async throws {
        guard let task = inFlight else { return }
        inFlight = nil
        try await task.value
    }

    /// Waits for the write in flight, ignoring its outcome (the import failed anyway).
    mutating func drain() async {
        guard let task = inFlight else { return }
        inFlight = nil
        _ = try? await task.value
    }
}
