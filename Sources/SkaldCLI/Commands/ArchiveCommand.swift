import Archive
import ArchiveStore
import ArgumentParser
import DiscordModels
import Foundation
import Logging
import SkaldConfiguration

/// `skald archive`: backfill and sync whole guilds into the archive.
struct ArchiveCommand: AsyncParsableCommand, LogLevelChoosing {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Archive every guild, channel, thread and message the bot can see; rerun to sync.",
        discussion: """
            One command does both jobs: it backfills whatever is incomplete (from each channel's first message, \
            or --after) and then catches up from each channel's high-water mark. Rerunning is always safe: a \
            killed run resumes where it stopped, and nothing is stored twice.

            Exit codes: 0 everything reachable was archived; 2 partial (failed channels are listed); \
            1 bad input or configuration.

            Examples:
              DISCORD_TOKEN=… skald archive
              skald archive --config config.json --recheck 7 --media
              skald archive --token T --api-base http://127.0.0.1:8080/api/v10 --guild 123 --db sqlite:a.sqlite
            """
    )

    @OptionGroup var account: AccountOptions
    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("guild"), help: ArgumentHelp("Only this guild (repeatable).", valueName: "id"))
    var guilds: [Snowflake<Guild>] = []
    @Option(
        name: .customLong("channel"),
        help: ArgumentHelp("Only this channel and its threads (repeatable).", valueName: "id"))
    var channels: [Snowflake<Channel>] = []
    @Option(
        name: .customLong("exclude-channel"), help: ArgumentHelp("Never this channel (repeatable).", valueName: "id"))
    var excludedChannels: [Snowflake<Channel>] = []
    @Option(
        name: .customLong("after"),
        help: ArgumentHelp("Backfill only after this message id or date (2024-01-31).", valueName: "id|date"),
        transform: MessageBound.parse)
    var after: MessageBound?
    @Option(
        name: .customLong("recheck"),
        help: ArgumentHelp("Re-read the last DAYS days to record edits and deletions.", valueName: "days"))
    var recheckDays: Int?
    @Flag(name: .customLong("members"), help: "Archive guild members (needs the GUILD_MEMBERS intent).")
    var members = false
    @Flag(name: .customLong("reaction-users"), help: "Archive who reacted with each emoji.")
    var reactionUsers = false
    @Flag(name: .customLong("media"), help: "Download attachments next to the archive (content-addressed).")
    var media = false
    @Option(name: .customLong("concurrency"), help: "Message requests in flight at once.")
    var concurrency: Int = 48
    // (workers) Several processes on one PostgreSQL archive, each with its own token.
    @Flag(
        name: .customLong("worker"),
        help: "Share the archive with other `skald archive --worker` processes: channels are taken through leases.")
    var worker = false
    @Option(name: .customLong("worker-name"), help: "This worker's name in leases (default: host-pid).")
    var workerName: String?
    @Option(
        name: .customLong("lease-seconds"),
        help: "How long a channel lease lasts without a heartbeat, 5...3600 (default: 30).")
    var leaseSeconds: Int?
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let recheckDays, recheckDays < 0 { throw ValidationError("--recheck takes a number of days ≥ 0") }
        guard (1...512).contains(concurrency) else { throw ValidationError("--concurrency must be 1...512") }
        // A lease renewed every third of its life: below a few seconds the renewals spin on the database, and a
        // stall of a moment hands a channel to another worker.
        if let leaseSeconds, !(5...3600).contains(leaseSeconds) {
            throw ValidationError("--lease-seconds must be 5...3600 (default 30)")
        }
        if !worker && workerName == nil && leaseSeconds != nil {
            throw ValidationError("--lease-seconds applies to --worker runs only; add --worker or drop it")
        }
        if let workerName, workerName.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--worker-name must not be empty: leases tell workers apart by it")
        }
        if let both = channels.first(where: excludedChannels.contains) {
            throw ValidationError("channel \(both) is given to both --channel and --exclude-channel")
        }
    }

    func run() async throws {
        let mode = OutputMode.detect()
        let code = try await ArchiveRunner.run(mode: mode) {
            let configFile = try account.loadConfigFile()
            var configuration = ArchiveConfiguration(
                accounts: try account.accounts(configFile: configFile, guilds: guilds))
            configuration.apiBase = account.apiBase
            configuration.channels = Set(channels)
            configuration.excludedChannels = Set(excludedChannels)
            configuration.after = after?.snowflake
            configuration.recheckDays = recheckDays
            configuration.members = members
            configuration.reactionUsers = reactionUsers
            configuration.media = media
            configuration.concurrency = concurrency
            if worker || workerName != nil {
                configuration.runAsWorker(
                    named: workerName
                        ?? "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)",
                    leaseTTL: .seconds(leaseSeconds ?? 30))
            }
            let location = try database.location(configFile: configFile)
            configuration.mediaDirectory = location.defaultMediaDirectory
            if media { try MediaFolderCheck.requireWritable(configuration.mediaDirectory) }
            return (configuration, location)
        }
        if code != 0 { throw ExitCode(code) }
    }
}

extension String {
    /// Appends a path component, treating an empty folder as the current one.
    func appendingPathComponentSafe(_ component: String) -> String {
        isEmpty ? component : (self as NSString).appendingPathComponent(component)
    }
}
