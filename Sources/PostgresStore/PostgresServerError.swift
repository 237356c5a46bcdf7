/// A PostgreSQL failure as the server (or the connection) described it, without the query's bound values.
public struct PostgresServerError: Error, Sendable, CustomStringConvertible {
    /// The description.
    public var description: String
    /// The server's SQLSTATE, when the server answered with one (`53100` is `disk_full`).
    public var sqlState: String? = nil
}
