import Foundation

/// Where the archive lives, parsed from `--db` or the config file's `database_url`: the one database-URL parser of
/// the project.
///
/// Accepted forms:
/// - `sqlite:PATH` (relative or absolute), `sqlite://PATH`, `sqlite:///ABSOLUTE/PATH`
/// - `postgres://user:password@host:port/database`, `postgresql://…`, and `postgresql+asyncpg://…` (the earlier
///   "Discord Archive" tool's SQLAlchemy form), with the query parameters `sslmode`, `pool_size` and `schema`.
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

    /// The URL schemes that select PostgreSQL.
    static let postgresSchemes = ["postgresql+asyncpg://", "postgresql://", "postgres://"]

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
        for scheme in Self.postgresSchemes where trimmed.hasPrefix(scheme) {
            self = .postgres(try PostgresLocation(parsing: String(trimmed.dropFirst(scheme.count)), original: text))
            return
        }
        if !trimmed.isEmpty && !trimmed.contains(":") {
            // A bare path: say the form it needs rather than guess (a typo of a scheme would become a file name).
            throw ConfigurationError.badDatabaseURL(
                text, reason: "an SQLite archive is given as sqlite:PATH (here sqlite:\(trimmed))")
        }
        throw ConfigurationError.badDatabaseURL(
            text, reason: "use sqlite:PATH or postgres://user:password@host:port/database")
    }

    /// Where `skald archive --media` puts downloads and `skald export --media` finds them: `media/` beside an
    /// SQLite archive, `skald-archive/media` for PostgreSQL.
    public var defaultMediaDirectory: String {
        switch self {
        case .sqlite(let path):
            let folder = (path as NSString).deletingLastPathComponent
            return folder.isEmpty ? "media" : (folder as NSString).appendingPathComponent("media")
        case .postgres: return "skald-archive/media"
        }
    }

    /// The location with any password hidden, safe for logs.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let location): location.description
        }
    }
}
