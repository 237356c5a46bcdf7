/// One entry of the config's `jobs:`: `{name, cron, job, args}`.
public struct JobDefinition: Sendable, Hashable {
    /// The built-in jobs.
    public static let builtIns = ["recheck", "export", "clips-scan", "store-verify", "vacuum"]

    /// The job's name (unique; the lease and the recorded runs use it).
    public var name: String
    /// When it runs.
    public var cron: CronExpression
    /// Which built-in job it runs (default: its name).
    public var kind: String
    /// The job's arguments (`days` for recheck and export, `out` for export…), as text.
    public var args: [String: String]

    /// The arguments each built-in job takes, with what each value must be.
    public static let arguments: [String: [(key: String, takes: String)]] = [
        "clips-scan": [("guild", "a guild id")],
        "recheck": [("days", "a whole number of days, 0 or more (default 7)")],
        "export": [("out", "the export folder (required)"), ("window", "hour, day or week (default day)")],
        "store-verify": [], "vacuum": [],
    ]

    /// What is wrong with `args` for the built-in job `kind`, or nil: an unknown argument, a value of the wrong
    /// kind, a missing `out` for `export`. Checked when the config is read, so a mistake is told at start rather
    /// than at the job's first run (or never, when a default hid it).
    public static func problem(kind: String, args: [String: String]) -> String? {
        let known = arguments[kind] ?? []
        if let unknown = args.keys.sorted().first(where: { key in !known.contains { $0.key == key } }) {
            let names = known.map(\.key)
            return "\(kind) takes no argument \"\(unknown)\""
                + (names.isEmpty ? " (it takes none)" : " (it takes " + names.joined(separator: ", ") + ")")
        }
        func takes(_ key: String) -> String { known.first { $0.key == key }?.takes ?? "" }
        if let guild = args["guild"], UInt64(guild) == nil { return "args.guild takes \(takes("guild")), not \(guild)" }
        if let days = args["days"], (Int(days) ?? -1) < 0 { return "args.days takes \(takes("days")), not \(days)" }
        if let window = args["window"], !["hour", "day", "week"].contains(window) {
            return "args.window takes \(takes("window")), not \(window)"
        }
        if kind == "export", args["out"]?.isEmpty ?? true { return "export needs args.out, the export folder" }
        return nil
    }

    /// Makes a definition.
    public init(name: String, cron: CronExpression, kind: String? = nil, args: [String: String] = [:]) {
        self.name = name
        self.cron = cron
        self.kind = kind ?? name
        self.args = args
    }
}
