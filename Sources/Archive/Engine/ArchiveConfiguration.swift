import DiscordModels
import Foundation

/// What `skald archive` should do: filled from flags, the environment and the config file.
public struct ArchiveConfiguration: Sendable {
    /// One token and the guilds it should archive.
    public struct Account: Sendable, CustomStringConvertible {
        /// A label for summaries and logs (never the token).
        public var name: String
        /// The token.
        public var token: String
        /// Guilds to archive; empty means every guild the token can see.
        public var guilds: [Snowflake<Guild>]

        /// Makes an `Account`.
        public init(name: String, token: String, guilds: [Snowflake<Guild>] = []) {
            self.name = name
            self.token = token
            self.guilds = guilds
        }

        /// A textual representation.
        public var description: String { "account \(name)" }
    }

    /// The accounts.
    public var accounts: [Account]
    /// Discord's API root, or a compatible one such as the simulator's `http://127.0.0.1:PORT/api/v10`.
    public var apiBase: String = "https://discord.com/api/v10"
    /// Only these channels (and threads); empty means all.
    public var channels: Set<Snowflake<Channel>> = []
    /// Never these channels (nor their threads).
    public var excludedChannels: Set<Snowflake<Channel>> = []
    /// Start the backfill after this message id (or a snowflake made from a date) instead of the first message.
    public var after: Snowflake<Message>?
    /// Re-read this many days back to record edits and deletions.
    public var recheckDays: Int?
    /// Archive guild members (needs the GUILD_MEMBERS intent).
    public var members: Bool = false
    /// Archive who reacted, per emoji.
    public var reactionUsers: Bool = false
    /// Download attachments into `mediaDirectory`.
    public var media: Bool = false
    /// Where downloaded media goes (content-addressed).
    public var mediaDirectory: String = "skald-archive/media"
    /// How many message requests may be in flight at once across all channels of an account.
    public var concurrency: Int = 48
    /// The most ranges one channel's backfill is split into when few channels are pending: a rate-limited channel
    /// gets as many as keep its message bucket full (its window's worth when the window is a few round trips
    /// long), one without known limits at most 8, and a channel never more than it has pages.
    public var maxSegmentsPerChannel: Int = 32
    // (workers, added by the PostgreSQL helper) Several `skald archive --worker` processes on one archive.
    /// This process's worker name when several processes share one archive (`skald archive --worker`): each
    /// channel is then fetched under a lease in the archive (``ChannelLeasing``) so no two workers fetch it at
    /// once. `nil` archives alone.
    public var worker: String?
    /// How long a channel lease lasts without a heartbeat (renewed every third of it); a killed worker's channels
    /// are taken over this long after it stopped.
    public var leaseTTL: Duration = .seconds(30)

    /// Makes an `ArchiveConfiguration`.
    public init(accounts: [Account]) { self.accounts = accounts }
}
