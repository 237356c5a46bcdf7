/// A column's default value, spelled by each ``SchemaDialect`` in its own literals.
public enum SchemaDefault: Sendable, Equatable {
    /// An integer literal.
    case integer(Int)
    /// A truth value (`0`/`1` in SQLite, `false`/`true` in PostgreSQL).
    case boolean(Bool)
    /// A text literal.
    case text(String)
}
