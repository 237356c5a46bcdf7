import Foundation
import Hummingbird
import Logging
import ServerLifecycle

/// A running fake Fluxer on loopback (fluxer-api.md §7): routes under `/v1` and `/`, one community owned by a
/// user who installed the bot with ADMINISTRATOR, and the admin surface `/__fluxer/truth` and `/__fluxer/stats`.
///
/// ```swift
/// let fluxer = try await FluxerSimulatorServer.start(FluxerSimulatorConfiguration())
/// print(fluxer.baseURL, fluxer.token, fluxer.guildID)
/// await fluxer.shutdown()
/// ```
public final class FluxerSimulatorServer: Sendable {
    /// The bound port.
    public let port: Int
    /// `http://HOST:PORT`.
    public let baseURL: String
    /// The bot token.
    public let token: String
    /// The configuration the server runs with.
    public let configuration: FluxerSimulatorConfiguration
    /// The id of the community that exists at start.
    public let guildID: UInt64

    let community: FluxerCommunity
    private let server: InProcessServer

    private init(
        port: Int, configuration: FluxerSimulatorConfiguration, community: FluxerCommunity, guildID: UInt64,
        server: InProcessServer
    ) {
        self.port = port
        self.baseURL = "http://\(configuration.host):\(port)"
        self.token = configuration.token
        self.configuration = configuration
        self.community = community
        self.guildID = guildID
        self.server = server
    }

    /// Binds `configuration.host:port` (0 = a free port) and returns once accepting. Throws the bind's error when it
    /// cannot listen (`ServerLifecycle.ListenFailure` puts it in words).
    public static func start(_ configuration: FluxerSimulatorConfiguration, logger: Logger? = nil) async throws
        -> FluxerSimulatorServer
    {
        let community = FluxerCommunity(configuration: configuration)
        let responder = FluxerResponder(configuration: configuration, community: community)
        var quiet = logger ?? Logger(label: "skald.fluxer-sim")
        if logger == nil { quiet.logLevel = .critical }
        let server = try await InProcessServer.start(gracePeriod: configuration.shutdownGracePeriod, logger: quiet) {
            onServerRunning in
            Application(
                responder: responder, server: .shutdownAwareHTTP1,
                configuration: .init(
                    address: .hostname(configuration.host, port: configuration.port), serverName: nil),
                onServerRunning: onServerRunning,
                logger: quiet)
        }
        return FluxerSimulatorServer(
            port: server.port, configuration: configuration, community: community, guildID: community.guildId,
            server: server)
    }

    /// Stops as a server should (``ServerLifecycle/InProcessServer/shutdown()``): no new connection, idle ones
    /// closed at once, requests in flight given `configuration.shutdownGracePeriod`, then the rest closed.
    public func shutdown() async {
        await server.shutdown()
    }

    /// Messages per channel name (the truth, as tests compare it).
    public func messageContents() async -> [String: [String]] {
        var result: [String: [String]] = [:]
        for channel in await community.channelsByPosition() {
            result[channel.name, default: []] += await community.messages(in: channel.id).map(\.content)
        }
        return result
    }

    /// Deletes every webhook of the community (a moderator's doing, for tests of a mirror that loses its webhooks).
    public func deleteWebhooks() async {
        await community.deleteWebhooks()
    }

    /// Each channel's NSFW flag and slowmode (`rate_limit_per_user`), by name.
    public func channelSettings() async -> [String: (nsfw: Bool, slowmode: Int)] {
        await community.channelsByPosition().reduce(into: [:]) { $0[$1.name] = ($1.nsfw, $1.slowmode) }
    }

    /// Channel names with their types, by position.
    public func channels() async -> [(name: String, type: Int)] {
        await community.channelsByPosition().map { ($0.name, $0.type) }
    }

    /// Pinned messages and replies (messages of type 19) across the community.
    public func pinsAndReplies() async -> (pinned: Int, replies: Int) {
        var pinned = 0
        var replies = 0
        for channel in await community.channelsByPosition() {
            for message in await community.messages(in: channel.id) {
                if message.pinned { pinned += 1 }
                if message.replyTo != nil { replies += 1 }
            }
        }
        return (pinned, replies)
    }

    /// The stickers sent with messages, by channel name, message order (`sticker_ids`).
    public func sentStickers() async -> [String: [UInt64]] {
        var result: [String: [UInt64]] = [:]
        for channel in await community.channelsByPosition() {
            for message in await community.messages(in: channel.id) where !message.stickerIds.isEmpty {
                result[channel.name, default: []] += message.stickerIds
            }
        }
        return result
    }

    /// Every uploaded file across the community, in channel and message order: the channel's name, the
    /// message's content, and the file's name, size and SHA-256.
    public func attachments() async -> [(channel: String, content: String, filename: String, size: Int, sha256: String)]
    {
        var result: [(channel: String, content: String, filename: String, size: Int, sha256: String)] = []
        for channel in await community.channelsByPosition() {
            for message in await community.messages(in: channel.id) {
                for file in message.attachments {
                    result.append((channel.name, message.content, file.filename, file.size, file.sha256))
                }
            }
        }
        return result
    }

    /// Role names, highest position first.
    public func roleNames() async -> [String] {
        await community.rolesDescending().map(\.name)
    }

    /// Webhooks per channel id.
    public func webhookCounts() async -> [UInt64: Int] {
        await community.webhooksById().values.reduce(into: [:]) { $0[$1.channelId, default: 0] += 1 }
    }

    /// Requests counted per route template (`POST /channels/{id}/messages`).
    public func requestsByRoute() async -> [String: Int] {
        await community.requestsByRoute()
    }

    /// 429s answered: (user/bucket, global).
    public func rateLimited() async -> (user: Int, global: Int) {
        await community.rateLimitedCounts()
    }
}
