/// One step of a ``SchemaMigration``.
public enum SchemaStatement: Sendable, Equatable {
    /// Creates a table.
    case table(SchemaTable)
    /// Creates an index.
    case index(SchemaIndex)
    /// Adds a column to an existing table.
    case addColumn(table: String, SchemaColumn)
    /// A feature each engine provides its own way (full-text search): the statements for each dialect, verbatim.
    case dialectSpecific(sqlite: [String], postgresql: [String])
}
