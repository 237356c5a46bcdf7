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

    /// An attachment that could not be downloaded, and why.
    public struct MediaFailure: Sendable, Codable, Hashable {
        public var attachmentId: Snowflake<Attachment>
        public var filename: String
        public var reason: String
    }

    public var guilds: [GuildResult] = []
    public var mediaDownloaded: Int = 0
    public var mediaFailed: Int = 0
    /// The attachments that failed to download, with the reason.
    public var mediaFailures: [MediaFailure] = []
    public var requests: Int = 0
    public var startedAt: Date
    public var finishedAt: Date?

    public init(startedAt: Date) { self.startedAt = startedAt }

    /// True when something reachable could not be archived (exit code 2).
    public var isPartial: Bool { guilds.contains { !$0.failed.isEmpty } || mediaFailed > 0 }

    /// Totals over every guild.
    public var totalMessagesStored: Int { guilds.reduce(0) { $0 + $1.messagesStored } }
    public var totalMessagesInserted: Int { guilds.reduce(0) { $0 + $1.messagesInserted } }
}
