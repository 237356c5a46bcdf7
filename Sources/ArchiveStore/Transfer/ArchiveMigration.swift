/// What ``ArchiveCopier/migrate(from:to:batchSize:progress:)`` did: the rows copied and the counts of both archives
/// afterwards, which must be equal.
public struct ArchiveMigration: Sendable, Hashable {
    /// Rows copied, over every table.
    public var rows: Int
    /// The source's counts (`skald stats`).
    public var source: ArchiveStats
    /// The target's counts after the copy.
    public var target: ArchiveStats

    /// Whether the target counts what the source counts (a copy that differs is incomplete).
    public var isExact: Bool { source == target }

    /// A migration's outcome.
    public init(rows: Int, source: ArchiveStats, target: ArchiveStats) {
        self.rows = rows
        self.source = source
        self.target = target
    }
}
