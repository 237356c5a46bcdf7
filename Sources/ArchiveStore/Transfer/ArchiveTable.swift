/// One table of the archive schema as every backend has it (same name, same columns, same meaning), for copying an
/// archive between backends without loss (``ArchiveTransfer``). Backend-only columns (SQLite's `message.row_id`,
/// PostgreSQL's generated `message.search`, identity sequences) are not listed: each backend rebuilds them.
public struct ArchiveTable: Sendable, Hashable {
    /// How a column's values travel.
    public enum ColumnType: Sendable, Hashable {
        /// A 64-bit integer (snowflakes, counts).
        case integer
        /// A flag (SQLite `INTEGER` 0/1, PostgreSQL `boolean`), travelling as 0 or 1.
        case boolean
        /// Text (instants in Discord's format, names…).
        case text
        /// Exact JSON text.
        case json
    }

    /// A column.
    public struct Column: Sendable, Hashable {
        /// The name.
        public var name: String
        /// The type.
        public var type: ColumnType

        /// Makes a column.
        public init(_ name: String, _ type: ColumnType) {
            self.name = name
            self.type = type
        }
    }

    /// The name.
    public var name: String
    /// The table's columns, in row order.
    public var columns: [Column]
    /// The columns rows are read in the order of, and resumed after (the primary key). Empty for a small table
    /// read whole in the backend's insertion order (the run log, whose order among equal start times is the order
    /// runs were recorded).
    public var key: [String]

    /// Makes a table description.
    public init(name: String, columns: [Column], key: [String]) {
        self.name = name
        self.columns = columns
        self.key = key
    }

    /// The positions of the key columns in ``columns``.
    public var keyIndexes: [Int] { key.compactMap { name in columns.firstIndex { $0.name == name } } }
}
