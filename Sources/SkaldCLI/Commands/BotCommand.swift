import Archive
import ArchiveStore
import ArgumentParser
import Bot
import DiscordModels
import Foundation
import Hummingbird
import Live
import Logging
import ServerLifecycle
import ServiceLifecycle
import SkaldConfiguration
import UnixSignals

/// `skald bot`: the always-on service — live capture, clip saving, health and metrics.
struct BotCommand: AsyncParsableCommand, LogLevelChoosing {
    static let configuration = CommandConfiguration(
        commandName: "bot",
        abstract: "Run the always-on bot: live capture, the clip saver, /healthz and /metrics.",
        discussion: """
            Runs, in one process with one shutdown path, what `skald watch` does (catch up, then store every \
            gateway event live) and the clip saver: every new or edited message is checked for clips (video \
            attachments, video embeds, YouTube, Twitch, Medal, Streamable, Steam and video-file links) and each \
            clip is recorded in the archive (`skald clips ls`). After each catch-up the messages the REST gap \
            fill stored are scanned too.

            HTTP (--http, default 127.0.0.1:8000; port 0 picks one): `GET /healthz` answers 200 while the gateway \
            is connected and the store writable, 503 with the reason otherwise; `GET /metrics` answers Prometheus \
            text. The bot prints `skald-bot http on http://HOST:PORT` once accepting.

            SIGINT/SIGTERM: stop reading, commit what was received, record its clips; then the HTTP server stops \
            accepting, closes idle connections, gives requests in flight 10 s and closes the rest; exit 0.

            Examples:
              DISCORD_TOKEN=… skald bot --db sqlite:skald-archive/archive.sqlite
              skald bot --token T --api-base http://127.0.0.1:8080/api/v10 --http 127.0.0.1:0
            """
    )

    @OptionGroup var account: AccountOptions
    @OptionGroup var database: DatabaseOptions

    @Option(
        name: .customLong("http"), help: ArgumentHelp("Where /healthz and /metrics listen.", valueName: "host:port"))
    var http: String = "127.0.0.1:8000"
    @OptionGroup var catchUp: CatchUpOptions
    @Flag(
        name: .customLong("media"),
        help: "Download attachments (attachment clips included) beside the archive, content-addressed.")
    var media = false
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        _ = try httpAddress()
    }

    /// Reloads the config's jobs and guild settings defaults on each SIGHUP. Accounts and the database need a
    /// restart.
    static func reloadOnHangup(path: String?, jobs: JobRunner, saver: ClipSaver, logger: Logger) async {
        guard let path else { return }
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            do {
                let config = try BotConfig.load(path: path)
                jobs.reload(jobs: config.jobs)
                saver.reload(defaults: config.defaults)
                Console.out("bot: reloaded \(path): \(config.jobs.count) jobs")
            } catch {
                Console.error("bot: \(path) not reloaded (keeping the running config): \(error)")
            }
        }
    }

    /// `--http` as host and port.
    func httpAddress() throws -> (host: String, port: Int) {
        guard let colon = http.lastIndex(of: ":"), let port = Int(http[http.index(after: colon)...]),
            (0...65535).contains(port), colon > http.startIndex
        else {
            throw ValidationError("--http must be HOST:PORT (port 0 picks a free one), got \(http)")
        }
        var host = String(http[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }

    func run() async throws {
        let logger = Logger(label: "skald.bot")
        let (host, port) = try httpAddress()
        do {
            let botConfig = try BotConfigLoading.load(account.configPath)
            let configFile = try BotConfigLoading.archiveConfig(botConfig, path: account.configPath)
            var archive = try catchUp.archiveConfiguration(account, configFile: configFile, command: "bot")
            let location = try database.location(configFile: configFile)
            let store = try await StoreFactory.openReady(location)
            let locks: [RunLock]
            do {
                locks = try await RunLock.liveCapture(
                    location, sessionKeys: [LiveConfiguration(archive: archive).sessionKey], command: "bot")
            } catch {
                await store.close()
                throw error
            }
            defer { for lock in locks { lock.release() } }
            let health = BotHealth()
            if media {
                archive.media = true
                archive.mediaDirectory = location.defaultMediaDirectory
                try MediaFolderCheck.requireWritable(archive.mediaDirectory)
            }
            let mediaArchive = archive
            let io = account.io(logger: logger, waitingOutBansAs: "bot")
            // Scheduled jobs and media downloads do not wait a ban out (the shutdown waits for them): they fail at
            // once and run again at their next time.
            let failingFastIO = {
                var failingFast = io
                failingFast.clients.edgeRefusals = io.clients.edgeRefusals?.failingFast()
                return failingFast
            }()
            var download: ClipSaver.MediaDownload?
            if media {
                download = { @Sendable refusal in
                    try await ArchiveEngine(
                        configuration: mediaArchive, store: store, observer: SilentArchiveObserver(), logger: logger,
                        io: failingFastIO
                    ).downloadMedia(refusing: refusal).downloaded
                }
            }
            // Reactions go through one client for the bot's life, so its limiter learns the reaction bucket once
            // and paces every reaction by it; like downloads they do not wait a ban out (the clip is saved
            // whatever happens to its reaction).
            let reactionClient = archive.accounts.first.map { failingFastIO.clients.client(token: $0.token) }
            let react: ClipSaver.AddReaction? = reactionClient.map { client in
                { @Sendable emoji, message, channel in try await client.addReaction(emoji, to: message, in: channel) }
            }
            let links = botConfig.clipDownloader.map {
                LinkClipDownloader(executable: $0, directory: location.defaultMediaDirectory)
            }
            if let links, links.resolvedExecutable() == nil {
                Console.error("bot: \(links.executable) is not installed; link clips are recorded without their files")
            }
            let saver = ClipSaver(
                store: store, health: health, logger: logger, defaults: botConfig.defaults, downloadMedia: download,
                linkDownloader: links, addReaction: react)
            let observer = KillAfterCommitObserver.wrapping(
                BotObserver(saver: saver, next: WatchConsoleObserver(mode: .detect(), logEvents: false)))
            var live = LiveConfiguration(archive: archive)
            live.onGatewayConnection = { connected in health.gateway(connected: connected) }
            live.marksClips = true
            let jobs = JobRunner(
                jobs: botConfig.jobs, store: store, holder: JobLeaseHolder.current(),
                actions: BotJobActions.make(
                    store: store, archive: archive, io: failingFastIO, mediaRoot: location.defaultMediaDirectory,
                    logger: logger),
                health: health, logger: logger)
            let service = BotService(
                captures: [
                    LiveCapture(configuration: live, store: store, observer: observer, logger: logger, io: io)
                ],
                saver: saver, jobs: jobs)
            let reloads = Task {
                await Self.reloadOnHangup(path: account.configPath, jobs: jobs, saver: saver, logger: logger)
            }
            defer { reloads.cancel() }
            let shownHost = host.contains(":") ? "[\(host)]" : host
            let app = BotHTTP.makeApplication(host: host, port: port, health: health, logger: logger) { bound in
                Console.out("skald-bot http on http://\(shownHost):\(bound)")
            }
            var groupLogger = logger
            groupLogger.logLevel = .critical
            let group = ServiceGroup(
                configuration: .init(
                    services: [
                        .init(service: GracePeriodService(app, logger: logger)),
                        .init(
                            service: service, successTerminationBehavior: .gracefullyShutdownGroup,
                            failureTerminationBehavior: .gracefullyShutdownGroup),
                    ],
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: groupLogger))
            do {
                try await group.run()
            } catch {
                try? await reactionClient?.shutdown()
                await store.close()
                // The HTTP side could not bind: the capture only saw the shutdown that followed.
                if let failure = ListenFailure(error, host: host, port: port) { throw failure }
                throw service.failure.withLockedValue { $0 } ?? error
            }
            try? await reactionClient?.shutdown()
            await store.close()
            if let failure = service.failure.withLockedValue({ $0 }) { throw failure }
            let final = health.snapshot
            Console.out("bot stopped: \(final.messagesSeen) messages checked, \(final.clipsSaved) clips saved")
        } catch {
            throw CommandFailure.inOwnWords(error)
        }
    }
}
