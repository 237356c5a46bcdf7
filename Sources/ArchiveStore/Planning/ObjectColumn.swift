/// A typed column of an archived object's row and its value; `keepWhenNull` keeps the stored value when the new
/// one is NULL (a channel seen without `guild_id` keeps its guild).
public struct ObjectColumn: Sendable, Hashable {
    /// The column name.
    public var name: String
    /// The value to write.
    public var value: ColumnValue
    /// Whether a NULL value leaves the stored one in place on update.
    public var keepWhenNull: Bool

    /// Makes a column.
    public init(_ name: String, _ value: ColumnValue, keepWhenNull: Bool = false) {
        self.name = name
        self.value = value
        self.keepWhenNull = keepWhenNull
    }
}
