import DiscordModels
import Foundation

/// One `skald clips scan` over archived messages, kept like the earlier clip bot's scan runs: which guild and
/// channels, when, how many messages and clips, how it ended. A run that did not finish is resumed from its
/// per-channel cursors by the next scan with the same selection.
public struct ClipScanRun: Sendable, Hashable, Codable {
    /// How a scan run stands.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Started and not finished (running, or interrupted: the next scan resumes it).
        case running
        /// Every selected channel scanned.
        case finished
        /// Stopped by an error (`error` says which).
        case failed
    }

    /// The run's id.
    public var id: UUID
    /// The guild scanned, or nil for every guild.
    public var guildId: Snowflake<Guild>?
    /// The channels asked for (empty: every channel of the selection).
    public var channelIds: [Snowflake<Channel>]
    /// Only messages sent at or after this instant.
    public var since: Date?
    /// When it started.
    public var startedAt: Date
    /// When it finished or failed.
    public var finishedAt: Date?
    /// Messages read so far.
    public var messagesScanned: Int
    /// Clips found so far.
    public var clipsFound: Int
    /// How it stands.
    public var status: Status
    /// What stopped a failed run.
    public var error: String?
    /// The last message scanned in each channel (the resume point).
    public var cursors: [Snowflake<Channel>: Snowflake<Message>]

    /// A new run.
    public init(
        id: UUID = UUID(), guildId: Snowflake<Guild>?, channelIds: [Snowflake<Channel>], since: Date?,
        startedAt: Date, finishedAt: Date? = nil, messagesScanned: Int = 0, clipsFound: Int = 0,
        status: Status = .running, error: String? = nil, cursors: [Snowflake<Channel>: Snowflake<Message>] = [:]
    ) {
        self.id = id
        self.guildId = guildId
        self.channelIds = channelIds
        self.since = since
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.messagesScanned = messagesScanned
        self.clipsFound = clipsFound
        self.status = status
        self.error = error
        self.cursors = cursors
    }

    /// Whether `other` selects the same messages (so it may resume this run).
    public func hasSameSelection(as other: ClipScanRun) -> Bool {
        guildId == other.guildId && channelIds.sorted() == other.channelIds.sorted() && since == other.since
    }
}
