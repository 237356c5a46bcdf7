import Archive
import ArgumentParser
import SkaldConfiguration

/// `--db`: where the archive lives.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The archive: sqlite:PATH or postgres://user:pass@host:port/db.",
            discussion: "Default: sqlite:skald-archive/archive.sqlite, or the config file's database_url.",
            valueName: "url"))
    var database: String?

    /// The location from the flag, else the config file, else the default.
    func location(configFile: ConfigFile? = nil) throws -> DatabaseLocation {
        if let database { return try DatabaseLocation(parsing: database) }
        if let url = configFile?.databaseURL { return try DatabaseLocation(parsing: url) }
        return .defaultLocation
    }
}
