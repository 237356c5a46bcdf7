import ArchiveStore
import ArgumentParser
import Bot
import DiscordModels
import Foundation

/// `skald jobs`: the bot's scheduled jobs.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List the bot's scheduled jobs with their next run times and last runs.",
        subcommands: [JobsList.self]
    )
}

/// `skald jobs ls`.
struct JobsList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "Each job of the config: its cron, next run (UTC) and last run.")

    @OptionGroup var database: DatabaseOptions
    @Option(name: .customLong("config"), help: ArgumentHelp("The bot's config file (its jobs).", valueName: "path"))
    var configPath: String
    @Flag(name: .customLong("json"), help: "One JSON array.") var json = false

    func run() async throws {
        let config = try BotConfigLoading.load(configPath)
        let location = try database.location(configFile: BotConfigLoading.archiveConfig(config, path: configPath))
        let schedule = JobSchedule(jobs: config.jobs, now: Date())
        var rows: [[String: Any]] = []
        try await StoreFactory.withExisting(location) { store in
            for job in config.jobs {
                let last = try await store.jobRuns(job: job.name, limit: 1).first
                rows.append([
                    "name": job.name, "job": job.kind, "cron": job.cron.description,
                    "next": schedule.nextRuns[job.name].map(DiscordTimestamp.format) ?? NSNull(),
                    "lastOutcome": last?.outcome ?? NSNull(),
                    "lastStarted": last.map { DiscordTimestamp.format($0.startedAt) } ?? NSNull(),
                    "lastDetail": last?.detail ?? NSNull(),
                ])
            }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys])
            Console.out(String(decoding: data, as: UTF8.self))
            return
        }
        for row in rows {
            // Why the last run did not succeed, so a job failing at every run says why where it is listed.
            let outcome = row["lastOutcome"] as? String ?? "never"
            let why = outcome == "failed" || outcome == "interrupted" ? (row["lastDetail"] as? String) : nil
            Console.out(
                "\(row["name"]!)  \(row["job"]!)  \"\(row["cron"]!)\"  next \(row["next"] as? String ?? "never")  "
                    + "last \(outcome)" + (why.map { ": \($0)" } ?? ""))
        }
    }
}
