import Archive
import DiscordGateway
import DiscordModels

/// What `skald watch` runs with.
public struct LiveConfiguration: Sendable {
    /// The archive engine's configuration for catch-up and gap fills (one account: the bot's token).
    public var archive: ArchiveConfiguration
    /// Intents sent in IDENTIFY.
    public var intents: GatewayIntents = .archiver
    /// `(shard id, shard count)`, or nil for one connection with every guild.
    public var shard: (id: Int, count: Int)?
    /// How long to wait before connecting (several shards in one process start in turn, within
    /// `max_concurrency`).
    public var startDelay: Duration = .zero
    /// The gateway session state machine's tunables.
    public var session = GatewaySessionStateMachine.Configuration()
    /// Told whether the gateway is connected (a session ready) or not, as it changes (`skald bot`'s health).
    public var onGatewayConnection: (@Sendable (Bool) -> Void)?
    /// `skald bot`: every committed message is marked for the clip saver in its batch's transaction
    /// (``LiveBatch/marksClips``).
    public var marksClips = false

    /// A configuration that catches up and watches what `archive` names.
    public init(archive: ArchiveConfiguration) { self.archive = archive }

    /// The key of this connection's session in the archive: `"<shard>/<count>"`.
    public var sessionKey: String { shard.map { "\($0.id)/\($0.count)" } ?? "0/1" }

    /// Whether an event of `guild` belongs to this watcher (its guild filter).
    func watches(_ guild: Snowflake<Guild>?) -> Bool {
        guard let guild else { return true }
        let wanted = archive.accounts.first?.guilds ?? []
        return wanted.isEmpty || wanted.contains(guild)
    }
}
