import DiscordModels

/// Something that happened during a run, for progress bars and log lines.
public enum ArchiveEvent: Sendable {
    /// Discovery of a guild's structure began.
    case guildStarted(account: String, guild: Snowflake<Guild>, name: String)
    /// A guild's channels were planned: how many will be fetched.
    case guildPlanned(guild: Snowflake<Guild>, channels: Int, threads: Int, skipped: Int)
    /// A channel's fetch began.
    case channelStarted(guild: Snowflake<Guild>, channel: Snowflake<Channel>, label: String)
    /// A page was stored.
    case pageStored(channel: Snowflake<Channel>, messages: Int, inserted: Int)
    /// A channel was brought up to date.
    case channelFinished(channel: Snowflake<Channel>, messagesStored: Int)
    /// A channel was skipped on purpose (no permission).
    case channelSkipped(guild: Snowflake<Guild>, channel: Snowflake<Channel>, label: String, reason: String)
    /// A channel failed; the run continues and ends with exit code 2.
    case channelFailed(guild: Snowflake<Guild>, channel: Snowflake<Channel>, label: String, reason: String)
    /// Media downloads progressed.
    case mediaDownloaded(count: Int, bytes: Int64)
    /// A free-form note (e.g. "members skipped: GUILD_MEMBERS intent not enabled").
    case note(String)
}

/// Receives ``ArchiveEvent``s. Called from many tasks at once: implementations must be thread-safe.
public protocol ArchiveObserver: Sendable {
    func archive(_ event: ArchiveEvent)
}

/// Ignores every event.
public struct SilentArchiveObserver: ArchiveObserver {
    /// Makes a `SilentArchiveObserver`.
    public init() {}
    /// Ignores the event.
    public func archive(_ event: ArchiveEvent) {}
}
