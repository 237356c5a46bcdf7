import Archive
import ArchiveStore
import ArgumentParser
import DiscordModels
import Foundation
import Live
import Logging
import ServiceLifecycle
import SkaldConfiguration

/// `skald watch`: catch up, then stay on the gateway and store every event as it happens.
struct WatchCommand: AsyncParsableCommand, LogLevelChoosing {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Catch the archive up, then stay connected and store new, edited and deleted messages live.",
        discussion: """
            Catches every guild up exactly as `skald archive` does, then stays on Discord's gateway and stores \
            each event as it arrives: new messages, edits (as revisions), deletions (tombstones marked seen \
            live), bulk deletes, channel and thread changes, joined guilds (backfilled at once) and left guilds \
            (marked left; nothing is deleted).

            The gateway session is committed in the archive with the events it covers: after a restart, even \
            after kill -9, `skald watch` resumes the session and receives what happened meanwhile. When Discord \
            refuses the resume it identifies again and fills the gap through REST from each channel's \
            high-water mark. SIGINT/SIGTERM commit what was received, close the connection so that the session \
            stays resumable, and exit 0.

            Needs the MESSAGE CONTENT intent enabled for the bot (without it, content arrives empty).
            Prints `skald-watch ready` once live; then one status line per minute in a pipe.

            One capture per archive and gateway session: a second `skald watch` (or `skald bot`) on the same \
            archive and shard refuses at once, naming the first one's pid.

            Exit codes: 0 stopped by a signal; 1 bad token, refused intents, configuration, or another capture \
            of the same session running.

            Examples:
              DISCORD_TOKEN=… skald watch
              skald watch --token T --api-base http://127.0.0.1:8080/api/v10 --db sqlite:a.sqlite
              skald watch --db postgres://… --shards 4 --shard-ids 0-1     (another process runs 2-3)
            """
    )

    @OptionGroup var account: AccountOptions
    @OptionGroup var database: DatabaseOptions

    @OptionGroup var catchUp: CatchUpOptions
    @Option(
        name: .customLong("shards"),
        help: ArgumentHelp("Split the guilds over N gateway shards (shard = (guild_id >> 22) % N).", valueName: "N"))
    var shards: Int?
    @Option(
        name: .customLong("shard-ids"),
        help: ArgumentHelp("The shards this process runs (default: all), e.g. 0-3 or 2.", valueName: "A-B"))
    var shardIds: String?
    @Flag(
        name: .customLong("members"),
        help: ArgumentHelp(
            "Archive guild members in every catch-up and keep them live (needs the GUILD_MEMBERS intent).",
            discussion: """
                Without it, members joining, changing or leaving are kept only in guilds whose members the archive \
                already holds (`skald archive --members`).
                """))
    var members = false
    @Flag(name: .customLong("log-events"), help: "Print one line per committed event (for scripts and tests).")
    var logEvents = false
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let shards, shards < 1 { throw ValidationError("--shards must be at least 1") }
        if shardIds != nil && shards == nil { throw ValidationError("--shard-ids needs --shards N") }
        _ = try shardRange()
    }

    /// The shard ids this process runs, or nil without sharding.
    func shardRange() throws -> ClosedRange<Int>? {
        guard let shards else { return nil }
        guard let shardIds else { return 0...(shards - 1) }
        let parts = shardIds.split(separator: "-", omittingEmptySubsequences: false).map {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        guard (1...2).contains(parts.count), let low = parts.first ?? nil, let high = parts.last ?? nil, low <= high,
            low >= 0, high < shards
        else {
            throw ValidationError("--shard-ids must be A-B (or A) with 0 <= A <= B < \(shards), got \(shardIds)")
        }
        return low...high
    }

    func run() async throws {
        let mode = OutputMode.detect()
        let logger = Logger(label: "skald.watch")
        do {
            let configFile = try account.loadConfigFile()
            var archive = try catchUp.archiveConfiguration(account, configFile: configFile, command: "watch")
            archive.members = archive.members || members
            let location = try database.location(configFile: configFile)
            let io = account.io(logger: logger, waitingOutBansAs: "watch")
            if let range = try shardRange(), range.count > 1, let token = archive.accounts.first?.token {
                try await ShardBudget.require(shards: range.count, io: io, token: token)
            }
            let store = try await StoreFactory.openReady(location)
            let opened = ArchiveFileIdentity.of(location)
            let observer = WatchConsoleObserver(
                mode: mode, logEvents: logEvents, connections: try shardRange()?.count ?? 1)
            var captures: [LiveCapture] = []
            if let range = try shardRange(), let count = shards {
                // Shards identify in turn: one per identify window of `max_concurrency` 1 (5 s).
                for (position, id) in range.enumerated() {
                    var configuration = LiveConfiguration(archive: archive)
                    configuration.shard = (id, count)
                    configuration.startDelay = .milliseconds(5_500 * position)
                    captures.append(
                        LiveCapture(
                            configuration: configuration, store: store, observer: observer, logger: logger, io: io))
                }
            } else {
                captures.append(
                    LiveCapture(
                        configuration: LiveConfiguration(archive: archive), store: store, observer: observer,
                        logger: logger, io: io))
            }
            let locks: [RunLock]
            do {
                locks = try await RunLock.liveCapture(
                    location, sessionKeys: captures.map(\.configuration.sessionKey), command: "watch")
            } catch {
                await StoreFactory.close(store)
                throw error
            }
            defer { for lock in locks { lock.release() } }
            let service = WatchService(captures: captures)
            var groupLogger = logger
            groupLogger.logLevel = .critical
            let group = ServiceGroup(
                configuration: .init(
                    services: [
                        .init(
                            service: service, successTerminationBehavior: .gracefullyShutdownGroup,
                            failureTerminationBehavior: .gracefullyShutdownGroup)
                    ],
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: groupLogger))
            let ticker = Task { await observer.runTicker() }
            defer { ticker.cancel() }
            do {
                try await group.run()
            } catch {
                await StoreFactory.close(store)
                throw service.failure.withLockedValue { $0 } ?? error
            }
            await StoreFactory.close(store)
            if let failure = service.failure.withLockedValue({ $0 }) { throw failure }
            try ArchiveFileIdentity.requireUnchanged(opened, at: location, command: "watch")
            let progress = service.progress.withLockedValue { $0 }
            Console.out(
                "watch stopped: \(progress.events) events, \(progress.stored) stored, "
                    + "\(progress.resumes) resumes, \(progress.identifies) new sessions")
        } catch {
            throw CommandFailure.inOwnWords(error)
        }
    }
}
