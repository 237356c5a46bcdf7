/// What storing guild-structure objects changed.
public struct ObjectChanges: Sendable, Hashable, Codable {
    /// Objects the archive did not have.
    public var inserted: Int
    /// Objects whose JSON meaningfully changed: the previous version went to the history.
    public var changed: Int
    /// Objects whose JSON changed only in volatile fields (counts, last message id): updated, no history.
    public var refreshed: Int
    /// Objects identical to the stored version.
    public var unchanged: Int
    /// Objects a complete listing lacked: newly tombstoned.
    public var tombstoned: Int

    /// Makes a summary.
    public init(inserted: Int = 0, changed: Int = 0, refreshed: Int = 0, unchanged: Int = 0, tombstoned: Int = 0) {
        self.inserted = inserted
        self.changed = changed
        self.refreshed = refreshed
        self.unchanged = unchanged
        self.tombstoned = tombstoned
    }

    /// Adds two summaries.
    public static func + (lhs: Self, rhs: Self) -> Self {
        Self(
            inserted: lhs.inserted + rhs.inserted, changed: lhs.changed + rhs.changed,
            refreshed: lhs.refreshed + rhs.refreshed, unchanged: lhs.unchanged + rhs.unchanged,
            tombstoned: lhs.tombstoned + rhs.tombstoned)
    }
}
