/// A table-level foreign key: columns of this table that name a row of another.
public struct SchemaForeignKey: Sendable, Equatable {
    /// The referring columns of this table.
    public var columns: [String]
    /// The table referred to.
    public var table: String
    /// The referred columns of that table, in the order of `columns`.
    public var referencedColumns: [String]

    /// A foreign key from `columns` to `referencedColumns` of `table`.
    public init(_ columns: [String], references table: String, _ referencedColumns: [String]) {
        self.columns = columns
        self.table = table
        self.referencedColumns = referencedColumns
    }
}
