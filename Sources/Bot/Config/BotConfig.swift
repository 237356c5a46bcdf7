import Foundation
import Yams

/// The bot's config file, YAML or JSON (JSON is YAML): the archive config's `database_url` and `accounts`,
/// `defaults` for guild settings, `jobs`, and `clips`. Unknown top-level keys are refused.
///
/// ```yaml
/// database_url: sqlite:skald-archive/archive.sqlite
/// accounts: [{name: main, token: "…"}]
/// defaults: {clip_kinds: [attachment, embed, link], max_download_mb: 50, reaction: "🎬"}
/// jobs:
///   - {name: nightly-scan, cron: "0 3 * * *", job: clips-scan}
///   - {name: weekly-recheck, cron: "@weekly", job: recheck, args: {days: 7}}
/// clips: {downloader: yt-dlp}
/// ```
public struct BotConfig: Sendable {
    /// Why a config file was refused.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        /// What is wrong and where.
        public let description: String
    }

    /// The known top-level keys.
    public static let keys: Set<String> = ["database_url", "accounts", "defaults", "jobs", "clips"]

    /// `{"database_url", "accounts"}` as JSON, for the archive's config decoder.
    public var archiveJSON: Data
    /// The guild settings defaults (a JSON object).
    public var defaults: Data
    /// The scheduled jobs.
    public var jobs: [JobDefinition]
    /// `clips.downloader` (e.g. `yt-dlp`), if set.
    public var clipDownloader: String?

    /// An empty config.
    public init() {
        archiveJSON = Data("{\"accounts\":[]}".utf8)
        defaults = Data("{}".utf8)
        jobs = []
    }

    /// Reads and checks the file at `path`.
    public static func load(path: String) throws -> BotConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Problem(description: "cannot read the config file \(path): \(error.localizedDescription)")
        }
        return try parse(text, name: path)
    }

    /// Parses a config's text (`name` names it in errors).
    public static func parse(_ text: String, name: String = "the config") throws -> BotConfig {
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: text)
        } catch {
            throw Problem(description: "\(name) is neither YAML nor JSON: \(error)")
        }
        guard let root = loaded as? [String: Any] else {
            throw Problem(description: "\(name) must be a mapping with accounts, defaults, jobs…")
        }
        if let unknown = root.keys.sorted().first(where: { !keys.contains($0) }) {
            throw Problem(
                description:
                    "unknown key \"\(unknown)\" in \(name) (known keys: \(keys.sorted().joined(separator: ", ")))")
        }
        var config = BotConfig()
        var archive: [String: Any] = ["accounts": root["accounts"] ?? []]
        if let url = root["database_url"] { archive["database_url"] = url }
        config.archiveJSON = try json(archive, what: "accounts")
        if let defaults = root["defaults"] {
            guard let object = defaults as? [String: Any] else {
                throw Problem(description: "defaults in \(name) must be a mapping")
            }
            if let problem = GuildSettingsSchema.problem(in: object) {
                throw Problem(description: "defaults in \(name): \(problem)")
            }
            config.defaults = try json(defaults, what: "defaults")
        }
        if let clips = root["clips"] {
            guard let clips = clips as? [String: Any] else {
                throw Problem(description: "clips in \(name) must be a mapping")
            }
            if let unknown = clips.keys.sorted().first(where: { $0 != "downloader" }) {
                throw Problem(description: "unknown key \"\(unknown)\" in clips in \(name) (known keys: downloader)")
            }
            if let downloader = clips["downloader"] {
                guard let executable = downloader as? String, !executable.isEmpty else {
                    throw Problem(
                        description: "clips.downloader in \(name) must be the name or path of a program, e.g. yt-dlp")
                }
                config.clipDownloader = executable
            }
        }
        // A jobs list written as a mapping (one job without its `-`) would otherwise be read as no job at all.
        let jobs = root["jobs"].flatMap { $0 is NSNull ? nil : $0 } ?? []
        guard let jobs = jobs as? [Any] else {
            throw Problem(
                description: "jobs in \(name) must be a list, each job an item starting with \"- \" "
                    + "(e.g. - {name: nightly-scan, cron: \"0 3 * * *\", job: clips-scan})")
        }
        for (index, entry) in jobs.enumerated() {
            config.jobs.append(try job(entry, place: "jobs[\(index)] in \(name)"))
        }
        let names = config.jobs.map(\.name)
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw Problem(description: "two jobs are named \(duplicate) in \(name)")
        }
        return config
    }

    static func job(_ entry: Any, place: String) throws -> JobDefinition {
        guard let object = entry as? [String: Any] else { throw Problem(description: "\(place) must be a mapping") }
        let known: Set<String> = ["name", "cron", "job", "args"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw Problem(description: "unknown key \"\(unknown)\" in \(place) (known keys: args, cron, job, name)")
        }
        guard let name = object["name"].map({ "\($0)" }), !name.isEmpty else {
            throw Problem(description: "\(place) has no name")
        }
        guard let cronText = object["cron"].map({ "\($0)" }) else { throw Problem(description: "\(place) has no cron") }
        let cron: CronExpression
        do {
            cron = try CronExpression(cronText)
        } catch {
            throw Problem(description: "\(place): \(error)")
        }
        let kind = object["job"].map { "\($0)" } ?? name
        guard JobDefinition.builtIns.contains(kind) else {
            throw Problem(
                description: "\(place): unknown job \"\(kind)\" (built-in jobs: "
                    + JobDefinition.builtIns.joined(separator: ", ") + ")")
        }
        var args: [String: String] = [:]
        if let raw = object["args"] {
            guard let mapping = raw as? [String: Any] else {
                throw Problem(description: "\(place): args must be a mapping")
            }
            for (key, value) in mapping { args[key] = "\(value)" }
        }
        if let problem = JobDefinition.problem(kind: kind, args: args) {
            throw Problem(description: "\(place): \(problem)")
        }
        // A schedule no date matches (`0 0 31 2 *`) would never run the job; eight years from 2000 cover every
        // calendar the expression can meet.
        guard cron.next(after: Date(timeIntervalSince1970: 946_684_800)) != nil else {
            throw Problem(description: "\(place): cron \"\(cronText)\" never fires (no date matches it)")
        }
        return JobDefinition(name: name, cron: cron, kind: kind, args: args)
    }

    static func json(_ value: Any, what: String) throws -> Data {
        guard JSONSerialization.isValidJSONObject(value) else {
            throw Problem(description: "\(what) holds values that JSON cannot represent")
        }
        return try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
    }
}
