import DiscordModels
import Foundation

/// What a run archived, per guild, and what it could not: the basis of the exit code.
public struct ArchiveSummary: Sendable, Codable {
    /// One guild's results.
    public struct GuildResult: Sendable, Codable {
        public var guildId: Snowflake<Guild>
        public var name: String
        public var account: String
        public var channels: Int = 0
        public var threads: Int = 0
        public var messagesStored: Int = 0
        public var messagesInserted: Int = 0
        public var edits: Int = 0
        public var deletions: Int = 0
        public var attachments: Int = 0
        public var skipped: [ChannelNote] = []
        public var failed: [ChannelNote] = []
        public var notes: [String] = []

        public init(guildId: Snowflake<Guild>, name: String, account: String) {
            self.guildId = guildId
            self.name = name
            self.account = account
        }
    }

    /// A channel and why it was skipped or failed.
    public struct ChannelNote: Sendable, Codable, Hashable {
        public var channelId: Snowflake<Channel>
        public var label: String
        public var reason: String
    }

    public var guilds: [GuildResult] = []
    public var mediaDownloaded: Int = 0
    public var mediaFailed: Int = 0
    /// Discord API requests sent by every token of the run.
    public var requests: Int = 0
    /// Invalid responses (401, 403, non-shared 429) among them.
    public var invalidRequests: Int = 0
    /// Invalid responses in the last 10 minutes at the end (Discord bans an IP at 10,000).
    public var invalidRequestsInWindow: Int = 0
    public var startedAt: Date
    public var finishedAt: Date?

    public init(startedAt: Date) { self.startedAt = startedAt }

    /// True when something reachable could not be archived (exit code 2).
    public var isPartial: Bool { guilds.contains { !$0.failed.isEmpty } || mediaFailed > 0 }

    /// Totals over every guild.
    public var totalMessagesStored: Int { guilds.reduce(0) { $0 + $1.messagesStored } }
    public var totalMessagesInserted: Int { guilds.reduce(0) { $0 + $1.messagesInserted } }
}
