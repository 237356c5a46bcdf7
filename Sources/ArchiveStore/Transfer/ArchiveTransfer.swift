/// Raw, table-level reading and writing of an archive, so `skald migrate-store` copies every table between
/// backends without loss (every ``ArchiveStore`` is one): timestamps the store recorded, revisions, history, tombstones, download state, the run
/// log and imports travel as stored, which the semantic write API of ``ArchiveStore`` (which stamps "now" and
/// applies the edit rules) cannot do.
///
/// ```swift
/// for table in ArchiveTables.all {
///     var after: [ArchiveValue]? = nil
///     while true {
///         let rows = try await source.readRows(of: table, after: after, limit: 2000)
///         if rows.isEmpty { break }
///         try await target.writeRows(rows, into: table)
///         guard !table.key.isEmpty, let last = rows.last else { break }
///         after = table.keyIndexes.map { last[$0] }
///     }
/// }
/// try await target.finishTransfer()
/// ```
public protocol ArchiveTransfer: Sendable {
    /// Up to `limit` rows of `table` (values in ``ArchiveTable/columns`` order), ascending by its key, after the
    /// key values `after` (from the first when `nil`). A table without key is returned whole.
    func readRows(of table: ArchiveTable, after: [ArchiveValue]?, limit: Int) async throws -> [[ArchiveValue]]

    /// Inserts rows as they are, in one transaction (the caller writes parents before children).
    func writeRows(_ rows: [[ArchiveValue]], into table: ArchiveTable) async throws

    /// Brings backend bookkeeping up to date after writing rows (identity sequences, search indexes).
    func finishTransfer() async throws
}
