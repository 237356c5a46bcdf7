import Foundation

/// The parts of a PostgreSQL URL (see ``DatabaseLocation``). The password never appears in `description`.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// TLS modes, as libpq's `sslmode` names them.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// The query parameters a URL may carry.
    public static let knownOptions = ["sslmode", "pool_size", "schema"]

    /// The server's host name or address (`localhost` when the URL gives none).
    public var host: String
    /// The server's port (5432 when the URL gives none).
    public var port: Int
    /// The user name (`postgres` when the URL gives none).
    public var username: String
    /// The password, if any.
    public var password: String?
    /// The database name.
    public var database: String
    /// `?sslmode=`: whether to use TLS.
    public var sslMode: SSLMode?
    /// `?pool_size=`: the most connections to open, 1...256.
    public var poolSize: Int?
    /// `?schema=`: the schema the archive's tables live in.
    public var schema: String?

    /// A location from its parts.
    public init(
        host: String, port: Int = 5432, username: String = "postgres", password: String? = nil, database: String
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// Parses what follows the scheme: `user:password@host:port/database?options`.
    init(parsing rest: String, original: String) throws {
        var remainder = Substring(rest)
        var options: [(String, String)] = []
        if let question = remainder.firstIndex(of: "?") {
            for pair in remainder[remainder.index(after: question)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                let value = parts.count > 1 ? String(parts[1]).removingPercentEncoding ?? "" : ""
                options.append((String(parts[0]), value))
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
        var username = "postgres"
        var password: String?
        if let colon = userInfo.firstIndex(of: ":") {
            username = String(userInfo[..<colon]).removingPercentEncoding ?? ""
            password = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncoding
        } else if !userInfo.isEmpty {
            username = String(userInfo).removingPercentEncoding ?? ""
        }
        self.init(
            host: host.isEmpty ? "localhost" : host, port: port, username: username, password: password,
            database: database)
        for (name, value) in options {
            try apply(option: name, value: value, original: original)
        }
    }

    private mutating func apply(option name: String, value: String, original: String) throws {
        switch name {
        case "sslmode":
            guard let mode = SSLMode(rawValue: value) else {
                let known = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw ConfigurationError.badDatabaseURL(
                    original, reason: "sslmode=\(value) is not one of \(known)")
            }
            sslMode = mode
        case "pool_size":
            guard let size = Int(value), (1...256).contains(size) else {
                throw ConfigurationError.badDatabaseURL(original, reason: "pool_size=\(value) must be 1...256")
            }
            poolSize = size
        case "schema":
            schema = value.isEmpty ? nil : value
        default:
            let hint = KeySuggestion.closest(to: name, among: Self.knownOptions).map { " — did you mean \"\($0)\"?" }
            throw ConfigurationError.badDatabaseURL(
                original,
                reason:
                    "unknown parameter \"\(name)\"\(hint ?? " (known: \(Self.knownOptions.joined(separator: ", ")))")")
        }
    }

    /// The URL with the password hidden.
    public var description: String {
        let credentials = password == nil ? "\(username)@" : "\(username):***@"
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(credentials)\(shownHost):\(port)/\(database)"
    }
}
