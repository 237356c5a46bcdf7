/// One column of a ``SchemaTable``: its name, what it holds, whether it may be null and its default.
public struct SchemaColumn: Sendable, Equatable {
    /// The column's name.
    public var name: String
    /// What the column holds.
    public var type: SchemaColumnType
    /// Whether the column is `NOT NULL`.
    public var isRequired: Bool
    /// The value an insert that omits the column stores.
    public var defaultValue: SchemaDefault?

    /// A column that may be null.
    public static func optional(_ name: String, _ type: SchemaColumnType) -> SchemaColumn {
        SchemaColumn(name: name, type: type, isRequired: false, defaultValue: nil)
    }

    /// A `NOT NULL` column, with an optional default.
    public static func required(
        _ name: String, _ type: SchemaColumnType, default defaultValue: SchemaDefault? = nil
    ) -> SchemaColumn {
        SchemaColumn(name: name, type: type, isRequired: true, defaultValue: defaultValue)
    }
}
