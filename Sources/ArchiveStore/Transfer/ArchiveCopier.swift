/// Copies every table of one archive into another, empty one, in batches (see ``ArchiveTransfer``).
///
/// ```swift
/// let rows = try await ArchiveCopier.copy(from: sqlite, to: postgres) { table, count in print(table.name, count) }
/// ```
public enum ArchiveCopier {
    /// Copies every table of ``ArchiveTables/all`` and finishes the target.
    /// - Parameter progress: called after each table with how many rows it had.
    /// - Returns: the number of rows copied.
    /// - Throws: ``ArchiveStoreError/invalidPage(_:)`` when the target is not empty; backend errors.
    @discardableResult
    public static func copy(
        from source: any ArchiveTransfer, to target: any ArchiveTransfer, batchSize: Int = 2000,
        progress: (ArchiveTable, Int) -> Void = { _, _ in }
    ) async throws -> Int {
        for table in ArchiveTables.all where !(try await target.readRows(of: table, after: nil, limit: 1).isEmpty) {
            throw ArchiveStoreError.invalidPage(
                "the target archive is not empty (table \(table.name) has rows); copy into a new one")
        }
        let batchSize = max(1, batchSize)
        var total = 0
        for table in ArchiveTables.all {
            var after: [ArchiveValue]? = nil
            var copied = 0
            while true {
                let rows = try await source.readRows(of: table, after: after, limit: batchSize)
                if rows.isEmpty { break }
                try await target.writeRows(rows, into: table)
                copied += rows.count
                guard !table.key.isEmpty, rows.count == batchSize, let last = rows.last else { break }
                after = table.keyIndexes.map { last[$0] }
            }
            total += copied
            progress(table, copied)
        }
        try await target.finishTransfer()
        return total
    }
}
