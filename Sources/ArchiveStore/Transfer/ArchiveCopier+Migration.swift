extension ArchiveCopier {
    /// Copies an archive into an empty one, or completes an interrupted copy (``copy(from:to:batchSize:progress:resuming:)``), then counts both, so the caller
    /// can tell a complete copy (``ArchiveMigration/isExact``) from one that differs: what `skald migrate-store` does.
    ///
    /// ```swift
    /// let migration = try await ArchiveCopier.migrate(from: sqlite, to: postgres)
    /// guard migration.isExact else { … }   // drop the target and copy again
    /// ```
    /// - Throws: what ``copy(from:to:batchSize:progress:resuming:)`` throws, or a backend error while counting.
    public static func migrate(
        from source: any ArchiveStore, to target: any ArchiveStore, batchSize: Int = 2000,
        progress: (ArchiveTable, Int) -> Void = { _, _ in }, resuming: (ArchiveTable, Int) -> Void = { _, _ in }
    ) async throws -> ArchiveMigration {
        let rows = try await copy(
            from: source, to: target, batchSize: batchSize, progress: progress, resuming: resuming)
        return ArchiveMigration(rows: rows, source: try await source.stats(), target: try await target.stats())
    }
}
