/// The distinct values of an expression among the rows whose key expression equals one value, read as a loose index
/// scan: the smallest value, then the smallest above it, and so on, each one step down an index on `(key, value)`.
/// A key held by thousands of rows (an imported author's name over their messages) costs one step per distinct
/// value, where reading them reads every row. PostgreSQL runs it for ``ImportStore/importedAuthors(named:)`` (SQLite
/// keeps the names in a table of their own: `imported_author`).
///
/// ```swift
/// let sql = DistinctValueScan.sql(table: "imported_message", key: nameExpression, value: idExpression, parameter: "?")
/// ```
public enum DistinctValueScan {
    /// The query, answering one column of values: `table`'s distinct `value` where `key` equals the parameter
    /// `parameter`, which appears twice (SQLite's `?` is bound twice, PostgreSQL's `$1` once).
    public static func sql(table: String, key: String, value: String, parameter: String) -> String {
        """
        WITH RECURSIVE found(value) AS (
            SELECT min(\(value)) FROM \(table) WHERE \(key) = \(parameter)
            UNION ALL SELECT (SELECT min(\(value)) FROM \(table) WHERE \(key) = \(parameter) AND \(value) > found.value)
            FROM found WHERE found.value IS NOT NULL)
        SELECT value FROM found WHERE value IS NOT NULL
        """
    }
}
