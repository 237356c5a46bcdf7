import ArchiveStore
import ArgumentParser
import DiscordREST
import Logging

/// The flags `skald mirror` and `skald mirror verify` share: the archive, the source guild and the target.
struct MirrorTargetOptions: ParsableArguments {
    @Option(help: "The target service: fluxer.") var to: String
    @Option(name: .customLong("target-api"), help: "The target's API base, e.g. https://api.fluxer.app/v1.")
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

    /// The `--channel` selection, or nil for every channel.
    var selection: Set<UInt64>? { channels.isEmpty ? nil : Set(channels) }

    func validate() throws {
        guard to == "fluxer" else { throw ValidationError("--to must be fluxer (discord is not supported yet)") }
    }

    /// The target's REST clients (`--target-api`).
    func targetClients(logger: Logger) -> DiscordClientFactory {
        DiscordClientFactory(apiBase: targetAPI, logger: logger)
    }

    /// The mapping key of the target (`fluxer:<guild>`).
    var targetKey: String { "fluxer:\(targetGuild)" }

    /// `--guild`, else the archive's only guild.
    func sourceGuild(in store: any ArchiveStore) async throws -> UInt64 {
        if let guild { return guild }
        let guilds = try await store.objects(.guild, in: nil).map(\.id.rawValue)
        guard guilds.count == 1, let only = guilds.first else {
            throw CommandFailure.Message(
                "mirror: the archive holds \(guilds.count) guilds; choose one with --guild ID")
        }
        return only
    }
}
