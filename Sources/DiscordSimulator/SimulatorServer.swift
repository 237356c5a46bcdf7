import DiscordModels
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServerLifecycle

/// A running simulated Discord on loopback: REST under `/api/v10` (and v9), CDN under `/cdn` and `/media`,
/// the gateway (WebSocket) at `/gateway`, and the admin surface under `/__sim/`.
///
/// ```swift
/// let sim = try await SimulatorServer.start(SimulatorConfiguration())
/// print(sim.apiBase)   // http://127.0.0.1:PORT/api/v10
/// await sim.shutdown()
/// ```
public final class SimulatorServer: Sendable {
    /// The bound port.
    public let port: Int
    /// `http://HOST:PORT`.
    public let baseURL: String
    /// `http://HOST:PORT/api/v10`.
    public var apiBase: String { baseURL + "/api/v10" }
    /// `http://HOST:PORT/cdn`: Discord's CDN paths (avatars, icons, emojis, attachments) live under it.
    public var cdnBase: String { baseURL + "/cdn" }
    /// The bot tokens, one bot user each.
    public let tokens: [String]
    /// The configuration the server runs with.
    public let configuration: SimulatorConfiguration

    let world: World
    let state: SimulatorState
    let gate: Gatekeeper
    let gateway: GatewayHub
    private let server: InProcessServer

    private init(
        port: Int, configuration: SimulatorConfiguration, world: World, state: SimulatorState, gate: Gatekeeper,
        gateway: GatewayHub, server: InProcessServer
    ) {
        self.port = port
        self.baseURL = "http://\(configuration.host):\(port)"
        self.tokens = configuration.tokens
        self.configuration = configuration
        self.world = world
        self.state = state
        self.gate = gate
        self.gateway = gateway
        self.server = server
    }

    /// Generates the world, binds `configuration.host:port` (0 = a free port) and returns once accepting. Throws the
    /// bind's error when it cannot listen (`ServerLifecycle.ListenFailure` puts it in words).
    public static func start(_ configuration: SimulatorConfiguration, logger: Logger? = nil) async throws
        -> SimulatorServer
    {
        let world = WorldGenerator.generate(configuration)
        let state = SimulatorState(world: world)
        let gate = Gatekeeper(configuration: configuration)
        let gateway = GatewayHub(configuration: configuration.gateway)
        let responder = SimulatorResponder(
            configuration: configuration, world: world, state: state, gate: gate, gateway: gateway)
        var quiet = logger ?? Logger(label: "skald.sim")
        if logger == nil { quiet.logLevel = .critical }
        let server = try await InProcessServer.start(gracePeriod: configuration.shutdownGracePeriod, logger: quiet) {
            onServerRunning in
            Application(
                responder: responder.makeRouter(),
                server: .shutdownAware { httpResponder in
                    HTTP1WebSocketUpgradeChannel(
                        responder: httpResponder,
                        configuration: .init(ws: .init(closeTimeout: configuration.gateway.closeTimeout))
                    ) {
                        request, channel, _ in
                        let uri = URI(request.path ?? "")
                        // `/`: the gateway URLs have no path, as Discord's; `/gateway` for clients told the old one.
                        guard uri.path == "/" || uri.path == "/gateway" else { return .dontUpgrade }
                        let query = uri.queryParameters
                        let host = request.authority ?? "\(configuration.host):\(configuration.port)"
                        let closeCode = NIOLockedValueBox<UInt16?>(nil)
                        let connection = GatewayConnection(
                            responder: responder, query: query, baseURL: "http://\(host)", clientCloseCode: closeCode)
                        return .upgrade([:]) { inbound, outbound, _ in
                            await CloseCodeSniffer.install(on: channel, code: closeCode)
                            await connection.run(inbound: inbound, outbound: outbound)
                        }
                    }
                },
                configuration: .init(
                    address: .hostname(configuration.host, port: configuration.port), serverName: nil),
                onServerRunning: onServerRunning,
                logger: quiet)
        }
        return SimulatorServer(
            port: server.port, configuration: configuration, world: world, state: state, gate: gate, gateway: gateway,
            server: server)
    }

    /// Stops as a server should (``ServerLifecycle/InProcessServer/shutdown()``): no new connection, idle ones
    /// closed at once (a client's pooled keep-alive connection cannot hold it), requests in flight given
    /// `configuration.shutdownGracePeriod`, gateway connections closed; then deletes the uploaded bytes kept on disk.
    public func shutdown() async {
        // A held request would keep its connection (and the server) alive.
        await state.uploadHold.release(drop: true)
        await state.pageHold.release(drop: true)
        await state.downloadHold.release(drop: true)
        await server.shutdown()
        state.uploads.removeFolder()
    }

    // MARK: Ground truth for tests

    /// Guild ids in generation order.
    public var guildIDs: [Snowflake<Guild>] { world.guilds.map { Snowflake($0.id) } }

    /// The bot users' ids, in token order.
    public var botUserIDs: [Snowflake<User>] { world.bots.map { Snowflake($0.id) } }

    /// A guild's channels (no threads), generation order.
    public func channelIDs(guild: Snowflake<Guild>) -> [Snowflake<DiscordModels.Channel>] {
        guard let index = world.guildIndexById[guild.rawValue] else { return [] }
        return world.guilds[index].channelIds.map { Snowflake($0) }
    }

    /// A guild's message-holding channels (`--channels`), ordinal order.
    public func messageChannelIDs(guild: Snowflake<Guild>) -> [Snowflake<DiscordModels.Channel>] {
        guard let index = world.guildIndexById[guild.rawValue] else { return [] }
        return world.guilds[index].messageChannelIds.map { Snowflake($0) }
    }

    /// A guild's generated threads.
    public func threadIDs(guild: Snowflake<Guild>) -> [Snowflake<DiscordModels.Channel>] {
        guard let index = world.guildIndexById[guild.rawValue] else { return [] }
        return world.guilds[index].threadIds.map { Snowflake($0) }
    }

    /// Facts about a channel or thread as the first bot sees it.
    public func truthChannel(_ id: Snowflake<DiscordModels.Channel>, bot: Int = 0) async -> TruthChannel? {
        guard let view = await state.view(id.rawValue) else { return nil }
        let responder = SimulatorResponder(
            configuration: configuration, world: world, state: state, gate: gate, gateway: gateway)
        let botId = world.bots.indices.contains(bot) ? world.bots[bot].id : 0
        let permissions = responder.permissions(of: botId, in: view)
        return TruthChannel(
            id: id, type: view.channel.type, parentId: view.channel.parentId.map { Snowflake($0) },
            name: view.channel.name, viewable: permissions.contains(.viewChannel),
            readable: permissions.isSuperset(of: [.viewChannel, .readMessageHistory]),
            archived: view.channel.thread?.archived, liveMessageCount: view.liveCount)
    }

    /// Live (not deleted) message ids of a channel, ascending. Walks every message: keep channels small.
    public func truthMessageIDs(channel: Snowflake<DiscordModels.Channel>) async -> [Snowflake<DiscordModels.Message>] {
        guard let view = await state.view(channel.rawValue) else { return [] }
        return view.positionsAscending(from: 0, limit: Int.max).map { Snowflake(view.id(at: $0)) }
    }

    /// The guild's current members (after `addMember` / `removeMember` mutations), ascending by user id.
    public func truthMemberIDs(guild: Snowflake<Guild>) async -> [Snowflake<User>] {
        guard let index = world.guildIndexById[guild.rawValue] else { return [] }
        return await state.members(index).map { Snowflake($0.user.id) }
    }

    /// Number of live messages in a channel (cheap even for ten million).
    public func truthMessageCount(channel: Snowflake<DiscordModels.Channel>) async -> Int {
        await state.view(channel.rawValue)?.liveCount ?? 0
    }

    /// The current statistics.
    public func stats() async -> SimulatorStats {
        await gate.snapshot(now: configuration.clock.now())
    }

    /// The gateway's counters (sessions, identifies, resumes, events sent).
    public func gatewayStats() async -> GatewayStats {
        await gateway.stats()
    }

    /// `ws://HOST:PORT`: the gateway URL `GET /gateway/bot` gives (no path, as Discord's `wss://gateway.discord.gg`).
    public var gatewayURL: String { baseURL.replacingOccurrences(of: "http://", with: "ws://") }
}
