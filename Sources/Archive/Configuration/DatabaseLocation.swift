import Foundation

/// Where the archive lives, parsed from `--db` or the config file's `database_url`.
///
/// Accepted forms:
/// - `sqlite:PATH` (relative or absolute), `sqlite://PATH`, `sqlite:///ABSOLUTE/PATH`
/// - `postgres://user:password@host:port/database`, `postgresql://…`, and `postgresql+asyncpg://…` (the earlier
///   "Discord Archive" tool's SQLAlchemy form).
///
/// ```swift
/// let location = try DatabaseLocation(parsing: "sqlite:./skald-archive/archive.sqlite")
/// ```
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    /// An SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL server.
    case postgres(PostgresLocation)

    /// The default archive: `./skald-archive/archive.sqlite`.
    public static let defaultLocation = DatabaseLocation.sqlite(path: "skald-archive/archive.sqlite")

    /// Parses a database URL.
    /// - Throws: `ConfigurationError` naming the accepted forms.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("sqlite:") {
            var path = String(trimmed.dropFirst("sqlite:".count))
            if path.hasPrefix("///") {
                path = String(path.dropFirst(2))
            } else if path.hasPrefix("//") {
                path = String(path.dropFirst(2))
            }
            guard !path.isEmpty else {
                throw ConfigurationError.badDatabaseURL(text, reason: "the SQLite path is empty")
            }
            self = .sqlite(path: path)
            return
        }
        for scheme in ["postgresql+asyncpg://", "postgresql://", "postgres://"] where trimmed.hasPrefix(scheme) {
            self = .postgres(try PostgresLocation(parsing: String(trimmed.dropFirst(scheme.count)), original: text))
            return
        }
        throw ConfigurationError.badDatabaseURL(
            text, reason: "use sqlite:PATH or postgres://user:password@host:port/database")
    }

    /// The location with any password hidden, safe for logs.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let location): location.description
        }
    }
}

/// The parts of a PostgreSQL URL. The password never appears in `description`.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// The host.
    public var host: String
    /// The port.
    public var port: Int
    /// The username.
    public var username: String
    /// The password.
    public var password: String?
    /// The database.
    public var database: String
    /// Query parameters such as `sslmode`.
    public var options: [String: String]

    init(parsing rest: String, original: String) throws {
        var remainder = Substring(rest)
        var options: [String: String] = [:]
        if let question = remainder.firstIndex(of: "?") {
            for pair in remainder[remainder.index(after: question)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                options[String(parts[0])] = parts.count > 1 ? String(parts[1]).removingPercentEncoding ?? "" : ""
            }
            remainder = remainder[..<question]
        }
        var userInfo: Substring = ""
        if let at = remainder.lastIndex(of: "@") {
            userInfo = remainder[..<at]
            remainder = remainder[remainder.index(after: at)...]
        }
        guard let slash = remainder.firstIndex(of: "/") else {
            throw ConfigurationError.badDatabaseURL(original, reason: "the database name is missing (…/DATABASE)")
        }
        let hostPort = remainder[..<slash]
        let database = String(remainder[remainder.index(after: slash)...]).removingPercentEncoding ?? ""
        guard !database.isEmpty else {
            throw ConfigurationError.badDatabaseURL(original, reason: "the database name is missing (…/DATABASE)")
        }
        var host = String(hostPort)
        var port = 5432
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            host = String(hostPort[..<colon])
            guard let parsed = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(parsed) else {
                throw ConfigurationError.badDatabaseURL(original, reason: "the port is not a number from 1 to 65535")
            }
            port = parsed
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "localhost" : host
        self.port = port
        self.database = database
        self.options = options
        if userInfo.isEmpty {
            self.username = "postgres"
            self.password = nil
        } else if let colon = userInfo.firstIndex(of: ":") {
            self.username = String(userInfo[..<colon]).removingPercentEncoding ?? ""
            self.password = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncoding
        } else {
            self.username = String(userInfo).removingPercentEncoding ?? ""
            self.password = nil
        }
    }

    /// A textual representation.
    public var description: String {
        let credentials = password == nil ? "\(username)@" : "\(username):***@"
        return "postgres://\(credentials)\(host):\(port)/\(database)"
    }
}
