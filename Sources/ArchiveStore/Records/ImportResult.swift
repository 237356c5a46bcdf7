/// What committing one imported file changed.
public struct ImportResult: Sendable, Hashable, Codable {
    /// Messages the archive did not have.
    public var inserted = 0
    /// Messages already imported whose JSON differed and whose file held the later state: it replaced the
    /// stored version, which was kept as a revision.
    public var updated = 0
    /// Messages already imported with identical JSON.
    public var unchanged = 0
    /// Messages already imported in a later state: the file's version was kept as a revision only.
    public var older = 0

    /// An empty result.
    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0, older: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.older = older
    }
}
