import ArchiveStore
import ArgumentParser
import DiscordREST
import Logging
import Mirror

/// The flags `skald mirror` and `skald mirror verify` share: the archive, the source guild and the target.
struct MirrorTargetOptions: ParsableArguments {
    @Option(help: "The target service: fluxer or discord.") var to: String
    @Option(
        name: .customLong("target-api"),
        help: "The target's API base, e.g. https://api.fluxer.app/v1 or https://discord.com/api/v10.")
    var targetAPI: String
    @Option(name: .customLong("target-token"), help: "The target bot token (never logged).") var targetToken: String
    @Option(name: .customLong("target-guild"), help: "The target community's id.") var targetGuild: UInt64
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The source guild's id (default: the only guild of the archive).") var guild: UInt64?
    @Option(
        name: .customLong("channel"),
        help: "Mirror only this channel (repeatable; a category selects its channels, a channel its threads).")
    var channels: [UInt64] = []
    @Option(
        name: .customLong("exclude-channel"),
        help: "Leave this channel out (repeatable; a category leaves out its channels, a channel its threads).")
    var excludedChannels: [UInt64] = []

    @Option(
        help: ArgumentHelp(
            "Send only messages from this date (2024-01-31, ISO 8601) or message id on.", valueName: "date-or-id"),
        transform: MessageBound.parse)
    var after: MessageBound?

    @Option(
        name: .customLong("target-file-limit-mb"),
        help: "The target's largest file in MiB (default: Fluxer 25, Discord 10); larger attachments are linked.")
    var fileLimitMB: Int?

    /// The target's caps on uploads: `--target-file-limit-mb`, else the service's.
    func uploadCaps(for target: MirrorTarget) -> MirrorAttachments.Caps {
        let perFile = fileLimitMB.map { Int64(max(1, $0)) << 20 } ?? target.defaultFileLimit
        return .init(perFile: perFile, perMessage: target.defaultMessageLimit.map { max($0, perFile) })
    }

    /// The `--channel` selection, or nil for every channel.
    var selection: Set<UInt64>? { channels.isEmpty ? nil : Set(channels) }

    func validate() throws {
        guard MirrorTarget.Service(rawValue: to) != nil else { throw ValidationError("--to must be fluxer or discord") }
    }

    /// The target service (`--to`).
    var service: MirrorTarget.Service { MirrorTarget.Service(rawValue: to) ?? .fluxer }

    /// The target over `client`.
    func target(client: DiscordClient) -> MirrorTarget {
        MirrorTarget(client: client, guild: targetGuild, service: service)
    }

    /// Runs `body` on the target through a client of its API: for Fluxer, the base the instance's discovery document
    /// advertises (`endpoints.api`, fluxer-api.md §1: "self-hosted: base = endpoints.api") when it is not
    /// `--target-api` itself, said in one line; else `--target-api`.
    func withTarget<T>(logger: Logger, say: (String) -> Void, _ body: (MirrorTarget) async throws -> T)
        async throws -> T
    {
        try await targetClients(logger: logger).withClient(token: targetToken) { client in
            let given = target(client: client)
            // A failed discovery is left to the first request of `body`, whose errors name the cause.
            guard service == .fluxer, let found = try? await given.discover(), let api = found.api,
                Self.trimmed(api) != Self.trimmed(targetAPI)
            else { return try await body(given) }
            say("target API: \(api) (endpoints.api of the instance's discovery document)")
            return try await targetClients(logger: logger, apiBase: api).withClient(token: targetToken) { client in
                var moved = target(client: client)
                moved.discoveredNewer = found.newer
                return try await body(moved)
            }
        }
    }

    /// An API base without its trailing slashes.
    private static func trimmed(_ base: String) -> String {
        var text = base
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// The target's REST clients (`--target-api`, or `apiBase`), whose errors name the target's service and options.
    func targetClients(logger: Logger, apiBase: String? = nil) -> DiscordClientFactory {
        var clients = DiscordClientFactory(apiBase: apiBase ?? targetAPI, logger: logger)
        let service = service.restService
        clients.configure = { $0.service = service }
        return clients
    }

    /// The mapping key of the target (`fluxer:<guild>`, `discord:<guild>`).
    var targetKey: String { "\(service.rawValue):\(targetGuild)" }

    /// `--guild`, else the archive's only guild.
    func sourceGuild(in store: any ArchiveStore) async throws -> UInt64 {
        if let guild { return guild }
        let guilds = try await store.objects(.guild, in: nil).map(\.id.rawValue).sorted()
        if guilds.isEmpty {
            throw CommandFailure.Message(
                "mirror: the archive holds no guild: check --db, or archive the source guild first with "
                    + "`skald archive --guild ID`")
        }
        guard guilds.count == 1, let only = guilds.first else {
            let ids = guilds.prefix(10).map(String.init).joined(separator: ", ")
            throw CommandFailure.Message(
                "mirror: the archive holds \(guilds.count) guilds (\(ids)\(guilds.count > 10 ? ", …" : "")); choose "
                    + "one with --guild ID")
        }
        return only
    }
}
