import ArchiveStore
import ArgumentParser
import FileSafety
import Foundation
import Hummingbird
import Logging
import Serve
import ServerLifecycle
import ServiceLifecycle
import SkaldConfiguration

/// `skald serve`: the archive over HTTP (viewer, search, a Discord-compatible read API, health and metrics).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the archive: a viewer, search, a Discord-compatible read API, /healthz and /metrics.",
        discussion: """
            Read-only. Prints one line, `skald-serve listening on http://HOST:PORT`, once accepting (--port 0 \
            picks a free port). SIGTERM or SIGINT: stop accepting, close idle connections at once, give requests in \
            flight 10 s, close the rest, exit 0. Binds loopback by default; any other address needs \
            --auth-token (or SKALD_SERVE_TOKEN), and then every request needs `Authorization: Bearer TOKEN`. \
            Discord's read routes are under /api/v10, Skald's JSON and search under /skald/api, pages under /.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(
        name: .customLong("config"), help: ArgumentHelp("Config file whose database_url to use.", valueName: "path"))
    var configPath: String?
    @Option(help: "Address to bind (loopback by default; others need --auth-token).") var host = "127.0.0.1"
    @Option(help: "Port to bind (0 picks a free port).") var port = 8080
    @Option(
        name: .customLong("auth-token"),
        help: ArgumentHelp("Token every request must carry (default: SKALD_SERVE_TOKEN).", valueName: "token"))
    var authToken: String?
    @Option(
        name: .customLong("api-token"),
        help: ArgumentHelp(
            "Bot token the Discord-compatible API requires (Authorization: Bot TOKEN); default: any.",
            valueName: "token"))
    var apiToken: String?
    @Option(
        name: .customLong("media-root"),
        help: "The archive's media folder, served under /media/ (default: media/ beside an SQLite archive).")
    var mediaRoot: String?

    /// The token from the flag, else the environment.
    var token: String? {
        let value = authToken ?? ProcessInfo.processInfo.environment["SKALD_SERVE_TOKEN"]
        return value?.isEmpty == false ? value : nil
    }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        var configuration = ServeConfiguration()
        configuration.host = host
        if !configuration.isLoopback && token == nil {
            throw ValidationError(
                "--host \(host) is not loopback: anyone who reaches it could read the archive. Pass --auth-token "
                    + "TOKEN (or set SKALD_SERVE_TOKEN), or bind 127.0.0.1")
        }
        if apiToken?.isEmpty == true {
            throw ValidationError("--api-token is empty: give the bot token clients must send, or drop the option")
        }
    }

    /// What is allowed but probably not meant: a short token guarding an address others reach, a media folder that
    /// is not there (every download would answer 404).
    private func warnings(isLoopback: Bool) -> [String] {
        var warnings: [String] = []
        if let token, !isLoopback, token.count < 16 {
            warnings.append(
                "the --auth-token guarding \(host) has \(token.count) characters, few enough to guess: use 32 random "
                    + "ones (`openssl rand -hex 16`)")
        }
        if let mediaRoot, !FileDestination.kind(at: mediaRoot).isFolder {
            warnings.append(
                "--media-root \(mediaRoot) is not a folder: downloaded attachments cannot be served (pages link "
                    + "Discord's CDN instead); check the path (`skald archive --media` writes media/ beside the archive)"
            )
        }
        return warnings
    }

    func run() async throws {
        let configFile = try configPath.map { try ConfigFile.load(path: $0) }
        let location = try database.location(configFile: configFile)
        let store: any ArchiveStore
        let archive: ServedArchive
        switch location {
        case .postgres:
            store = try await StoreFactory.openReady(location, mustExist: true)
            archive = ServedArchive(store: store)
        case .sqlite(let path):
            // The file is followed by its path: a backup restored over it is served, a deleted one refused.
            let opened = FileIdentity(path: path)
            store = try StoreFactory.openForReading(location)
            archive = ServedArchive(
                store: store, file: path, opened: opened, reopen: { try StoreFactory.openForReading(location) },
                report: { Console.error($0) })
        }
        var configuration = ServeConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.authToken = token
        configuration.apiToken = apiToken?.isEmpty == false ? apiToken : nil
        configuration.mediaFolder = MediaFolder(path: mediaRoot ?? location.defaultMediaDirectory)
        // After the ready line, which scripts read first.
        let warnings = warnings(isLoopback: configuration.isLoopback)
        let logger = Logger(label: "skald.serve")
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let server = ArchiveServer(archive: archive, configuration: configuration)
        let app = server.makeApplication(logger: logger) { port in
            Console.out("skald-serve listening on http://\(shownHost):\(port)")
            for warning in warnings { Console.error("warning: " + warning) }
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [GracePeriodService(app, gracePeriod: configuration.shutdownGracePeriod, logger: logger)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await store.close()
            if let failure = ListenFailure(error, host: host, port: port) { throw failure }
            throw CommandFailure.Message("serve on \(host):\(port) stopped: \(error)")
        }
        await store.close()
    }
}
