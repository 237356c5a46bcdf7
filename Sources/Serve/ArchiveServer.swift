import ArchiveStore
import DiscordModels
import Foundation
import Hummingbird
import Logging
import ServerLifecycle

/// `skald serve`: the archive over HTTP, read-only. Health and metrics, the Discord-compatible read API under
/// `/api/v10`, Skald's JSON API and search under `/skald/api`, and server-rendered HTML pages.
///
/// ```swift
/// let server = ArchiveServer(store: store, configuration: configuration)
/// let app = server.makeApplication(logger: logger) { port in print("listening on \(port)") }
/// try await app.runService()
/// ```
public struct ArchiveServer: Sendable {
    /// The archive served, followed by its path when it is an SQLite file.
    public let archive: ServedArchive
    /// Where to listen and which token to require.
    public let configuration: ServeConfiguration
    /// The metrics `/metrics` renders.
    public let metrics: ServeMetrics
    /// The login cookie's value for this run (random, never derived from the token; a restart logs browsers out).
    let session: String

    /// A server over `store`, as it is for the whole run.
    public init(store: any ArchiveStore, configuration: ServeConfiguration, metrics: ServeMetrics = ServeMetrics()) {
        self.init(archive: ServedArchive(store: store), configuration: configuration, metrics: metrics)
    }

    /// A server over `archive` (an SQLite archive followed by its path: ``ServedArchive``).
    public init(archive: ServedArchive, configuration: ServeConfiguration, metrics: ServeMetrics = ServeMetrics()) {
        self.archive = archive
        self.configuration = configuration
        self.metrics = metrics
        var generator = SystemRandomNumberGenerator()
        session = (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(separator: "-")
    }

    /// The router with every route; tests drive it through HummingbirdTesting.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(
            middleware: RequestGate(
                token: configuration.authToken, apiToken: configuration.apiToken, session: session, metrics: metrics))
        router.add(middleware: ArchiveCheck(archive: archive))
        router.add(middleware: DiscordRouteErrors())
        addLoginRoutes(to: router)
        addHealthRoutes(to: router)
        addDiscordRoutes(to: router.group("api/v10"))
        addMemberListRoute(to: router.group("api/v10"))
        addGuildSearchRoute(to: router.group("api/v10"))
        addSkaldRoutes(to: router.group("skald/api"))
        addViewerAPIRoutes(to: router.group("skald/api"))
        addSearchExportRoutes(to: router.group("skald/api"))
        addPageRoutes(to: router)
        addAssetRoutes(to: router)
        addMediaRoutes(to: router)
        return router
    }

    /// The HTTP application on `configuration.host:port`; `onListening` gets the bound port once accepting.
    public func makeApplication(logger: Logger, onListening: @escaping @Sendable (Int) async -> Void)
        -> some ApplicationProtocol
    {
        let port = configuration.port
        return Application(
            router: makeRouter(), server: .shutdownAwareHTTP1,
            configuration: .init(address: .hostname(configuration.host, port: port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    // MARK: Shared reads

    /// The archive's store for a request (only its read methods are called): the one ``ArchiveCheck`` found
    /// readable at the request's start.
    var store: any ArchiveStore { archive.latest }

    /// A snowflake path parameter, or `nil` when it is not one.
    static func id<Tag>(_ context: BasicRequestContext, _ name: String) -> Snowflake<Tag>? {
        context.parameters.get(name).flatMap { Snowflake<Tag>($0) }
    }

    /// The archive as the viewer and the APIs read it: archived and imported history as one.
    var history: MergedHistory { MergedHistory(store: store, mediaURLPrefix: mediaPrefix) }

    /// The guilds of the archive that are not tombstoned, ascending by id, then those known only from imports.
    func guilds() async throws -> [StoredObject] { try await history.guilds() }
}
