/// A plain B-tree index, optionally partial; written the same way in every dialect.
public struct SchemaIndex: Sendable, Equatable {
    /// The index's name.
    public var name: String
    /// The indexed table.
    public var table: String
    /// The indexed columns, in order.
    public var columns: [String]
    /// A `WHERE` predicate making the index partial.
    public var predicate: String?

    /// An index on `columns` of `table`, partial when `predicate` is given.
    public init(_ name: String, on table: String, _ columns: [String], where predicate: String? = nil) {
        self.name = name
        self.table = table
        self.columns = columns
        self.predicate = predicate
    }
}
