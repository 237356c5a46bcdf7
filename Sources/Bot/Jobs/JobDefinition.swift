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

    /// Makes a definition.
    public init(name: String, cron: CronExpression, kind: String? = nil, args: [String: String] = [:]) {
        self.name = name
        self.cron = cron
        self.kind = kind ?? name
        self.args = args
    }
}
