/// What a schema column holds, named by meaning; each ``SchemaDialect`` spells it in its own SQL type.
public enum SchemaColumnType: Sendable, Equatable {
    /// A Discord snowflake: the bit pattern of the unsigned id in a signed 64-bit integer.
    case snowflake
    /// A 32-bit count, position or enumeration value.
    case integer
    /// A 64-bit integer that is not a snowflake (sizes, flags, sequence numbers).
    case bigInteger
    /// Text, including instants in Discord's sortable format.
    case text
    /// A truth value.
    case boolean
    /// The exact JSON text Discord (or an export file) sent.
    case json
    /// A surrogate key the database numbers itself, increasing and never reused; it is the table's primary key.
    case identity
}
