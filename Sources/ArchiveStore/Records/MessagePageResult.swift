/// What storing a page changed.
public struct MessagePageResult: Sendable, Hashable, Codable {
    /// Messages the archive did not have.
    public var inserted: Int
    /// Messages whose current version was replaced by an edit (each added one revision).
    public var edited: Int
    /// Messages whose JSON changed without an edit (re-signed URLs, reaction counts, embeds, pins…): updated
    /// in place, no revision.
    public var refreshed: Int
    /// Messages identical to the stored version (or an older or degraded view of it): nothing changed.
    public var unchanged: Int
    /// Tombstoned messages that Discord returned again: their tombstone was lifted.
    public var restored: Int

    /// Makes a result.
    public init(inserted: Int = 0, edited: Int = 0, refreshed: Int = 0, unchanged: Int = 0, restored: Int = 0) {
        self.inserted = inserted
        self.edited = edited
        self.refreshed = refreshed
        self.unchanged = unchanged
        self.restored = restored
    }
}
