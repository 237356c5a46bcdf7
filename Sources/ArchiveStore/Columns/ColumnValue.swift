/// A typed column value as every backend binds it: integers (ids, counts, enum raw values), text, booleans, each
/// possibly NULL.
public enum ColumnValue: Sendable, Hashable {
    /// A 64-bit integer column.
    case int(Int64?)
    /// A text column.
    case text(String?)
    /// A boolean column.
    case bool(Bool?)
}
