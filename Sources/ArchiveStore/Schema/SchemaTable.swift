/// One table of the archive schema, described once and rendered by each ``SchemaDialect``.
///
/// A single-column primary key is written on its column (`id INTEGER PRIMARY KEY` is SQLite's rowid alias), a
/// composite one as a table constraint. Two storage details belong to one dialect only and are named as such.
public struct SchemaTable: Sendable, Equatable {
    /// The table's name.
    public var name: String
    /// The columns, in order.
    public var columns: [SchemaColumn]
    /// The primary key's columns (empty when an ``SchemaColumnType/identity`` column is the key).
    public var primaryKey: [String]
    /// The table's foreign keys.
    public var foreignKeys: [SchemaForeignKey]
    /// SQLite only: an integer rowid alias written as the first column (a stable key for an external full-text
    /// index); the primary key then becomes a `UNIQUE` constraint. PostgreSQL has no such column.
    public var sqliteRowIDAlias: String?
    /// SQLite only: the table is `WITHOUT ROWID` (stored clustered by its primary key).
    public var sqliteWithoutRowID: Bool
    /// PostgreSQL only: an identity column written first that orders rows by insertion, as SQLite's implicit rowid
    /// does.
    public var postgresInsertionOrder: String?

    /// A table description.
    public init(
        _ name: String, primaryKey: [String] = [], columns: [SchemaColumn], foreignKeys: [SchemaForeignKey] = [],
        sqliteRowIDAlias: String? = nil, sqliteWithoutRowID: Bool = false, postgresInsertionOrder: String? = nil
    ) {
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.foreignKeys = foreignKeys
        self.sqliteRowIDAlias = sqliteRowIDAlias
        self.sqliteWithoutRowID = sqliteWithoutRowID
        self.postgresInsertionOrder = postgresInsertionOrder
    }
}
