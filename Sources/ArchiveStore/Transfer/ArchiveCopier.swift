/// Copies every table of one archive into another in batches (see ``ArchiveTransfer``): into an empty archive, or
/// into one an interrupted copy of the same source left behind, which it completes.
///
/// ```swift
/// let rows = try await ArchiveCopier.copy(from: sqlite, to: postgres) { table, count in print(table.name, count) }
/// ```
///
/// Each batch commits on its own, in key order, table after table: a copy killed at any instant leaves every table of
/// the target holding a prefix of the source's rows (all, some or none). A rerun checks that, row by row, and writes
/// only what follows; a target holding anything else (another archive, rows written since) is refused before a row is
/// written.
public enum ArchiveCopier {
    /// Copies every table of ``ArchiveTables/all`` that the target does not hold yet and finishes the target.
    /// - Parameters:
    ///   - progress: called after each table with how many rows the target holds of it now.
    ///   - resuming: called before the copy for each table of which the target already holds rows (an interrupted
    ///     copy's), with how many.
    /// - Returns: the number of rows the target holds, over every table.
    /// - Throws: ``ArchiveStoreError/invalidPage(_:)`` when the target holds rows that are not a prefix of the
    ///   source's (nothing is written then); `CancellationError` when the task is cancelled (between two batches);
    ///   backend errors.
    @discardableResult
    public static func copy(
        from source: any ArchiveTransfer, to target: any ArchiveTransfer, batchSize: Int = 2000,
        progress: (ArchiveTable, Int) -> Void = { _, _ in }, resuming: (ArchiveTable, Int) -> Void = { _, _ in }
    ) async throws -> Int {
        let batchSize = max(1, batchSize)
        var starts: [ArchiveTable: ResumePoint] = [:]
        for table in ArchiveTables.all {
            let start = try await resumePoint(of: table, from: source, in: target, batchSize: batchSize)
            starts[table] = start
            if start.held > 0 { resuming(table, start.held) }
        }
        var total = 0
        for table in ArchiveTables.all {
            let start = starts[table] ?? ResumePoint(held: 0, after: nil)
            let copied = try await copyRest(of: table, from: source, to: target, after: start, batchSize: batchSize)
            total += start.held + copied
            progress(table, start.held + copied)
        }
        try await target.finishTransfer()
        return total
    }

    /// Where the copy of a table resumes: how many of the source's first rows the target holds, and the key of the
    /// last of them (nil when it holds none, or for a table without key).
    struct ResumePoint {
        var held: Int
        var after: [ArchiveValue]?
    }

    /// Reads the target's rows of `table` beside the source's, batch by batch in key order, and answers where they
    /// end. Throws when the target holds a row that is not the source's row at the same place.
    static func resumePoint(
        of table: ArchiveTable, from source: any ArchiveTransfer, in target: any ArchiveTransfer, batchSize: Int
    ) async throws -> ResumePoint {
        var point = ResumePoint(held: 0, after: nil)
        while true {
            let held = try await target.readRows(of: table, after: point.after, limit: batchSize)
            if held.isEmpty { return point }
            let theirs = try await source.readRows(of: table, after: point.after, limit: batchSize)
            guard held.count <= theirs.count, Array(theirs.prefix(held.count)) == held else {
                throw ArchiveStoreError.invalidPage(
                    "the target archive is not empty and is not an interrupted copy of this source (table "
                        + "\(table.name) holds rows the source does not have at the same place); copy into a new one")
            }
            point.held += held.count
            // A table without key was read whole.
            guard !table.key.isEmpty, let last = held.last else { return point }
            point.after = table.keyIndexes.map { last[$0] }
            if held.count < batchSize { return point }
        }
    }

    /// Copies the source's rows of `table` that follow `start`, one transaction per batch; returns how many.
    static func copyRest(
        of table: ArchiveTable, from source: any ArchiveTransfer, to target: any ArchiveTransfer,
        after start: ResumePoint, batchSize: Int
    ) async throws -> Int {
        var after = start.after
        // A table without key is read whole: skip the rows the target holds.
        var skip = table.key.isEmpty ? start.held : 0
        var copied = 0
        while true {
            // SIGINT/SIGTERM (`skald migrate-store`): stop between two committed batches; a rerun completes the copy.
            try Task.checkCancellation()
            let rows = try await source.readRows(of: table, after: after, limit: batchSize)
            if rows.isEmpty { break }
            let fresh = Array(rows.dropFirst(skip))
            skip = 0
            if !fresh.isEmpty { try await target.writeRows(fresh, into: table) }
            copied += fresh.count
            guard !table.key.isEmpty, rows.count == batchSize, let last = rows.last else { break }
            after = table.keyIndexes.map { last[$0] }
        }
        return copied
    }
}
