/// A result of a search ranked by relevance, with its score: higher is more relevant, `0` when the search has no
/// words to rank by. A store scores its archived and its imported messages alike (SQLite: bm25 of the table's
/// full-text index, negated; PostgreSQL: `ts_rank`), so a viewer merges the two lists by score.
public struct Ranked<Element: Sendable>: Sendable {
    /// The message found.
    public var element: Element
    /// How relevant it is to the search's words.
    public var score: Double

    /// A result and its score.
    public init(_ element: Element, score: Double) {
        self.element = element
        self.score = score
    }
}
