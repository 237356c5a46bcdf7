import DiscordModels
import Foundation

/// What a run archived, per guild, and what it could not: the basis of the exit code.
public struct ArchiveSummary: Sendable, Codable {
    /// One guild's results.
    public struct GuildResult: Sendable, Codable {
        /// The guild.
        public var guildId: Snowflake<Guild>
        /// The guild's name.
        public var name: String
        /// The account (token) that archived it.
        public var account: String
        /// Channels selected for archiving.
        public var channels: Int = 0
        /// Threads selected for archiving.
        public var threads: Int = 0
        /// Messages fetched and stored (new or not).
        public var messagesStored: Int = 0
        /// Messages the archive did not have.
        public var messagesInserted: Int = 0
        /// Edits found (each kept a revision).
        public var edits: Int = 0
        /// Messages found deleted by the recheck.
        public var deletions: Int = 0
        /// Attachments listed by stored messages.
        public var attachments: Int = 0
        /// Channels skipped, with the reason.
        public var skipped: [ChannelNote] = []
        /// Channels that failed, with the reason.
        public var failed: [ChannelNote] = []
        /// Remarks about the guild (e.g. thread listings the bot may not read).
        public var notes: [String] = []

        /// Makes an empty result for a guild.
        public init(guildId: Snowflake<Guild>, name: String, account: String) {
            self.guildId = guildId
            self.name = name
            self.account = account
        }
    }

    /// A channel and why it was skipped or failed.
    public struct ChannelNote: Sendable, Codable, Hashable {
        /// The channel.
        public var channelId: Snowflake<Channel>
        /// How the channel is shown (`#name`).
        public var label: String
        /// Why it was skipped or failed.
        public var reason: String
    }

    /// An attachment that could not be downloaded, and why.
    public struct MediaFailure: Sendable, Codable, Hashable {
        /// The attachment.
        public var attachmentId: Snowflake<Attachment>
        /// Its file name.
        public var filename: String
        /// Why the download failed.
        public var reason: String
    }

    /// One result per guild archived.
    public var guilds: [GuildResult] = []
    /// Attachment files downloaded (`--media`).
    public var mediaDownloaded: Int = 0
    /// Attachment downloads that failed.
    public var mediaFailed: Int = 0
    /// The attachments that failed to download, with the reason.
    public var mediaFailures: [MediaFailure] = []
    /// REST requests made.
    public var requests: Int = 0
    /// When the run started.
    public var startedAt: Date
    /// When it ended.
    public var finishedAt: Date?

    /// Makes an empty summary of a run started at `startedAt`.
    public init(startedAt: Date) { self.startedAt = startedAt }

    /// True when something reachable could not be archived (exit code 2).
    public var isPartial: Bool { guilds.contains { !$0.failed.isEmpty } || mediaFailed > 0 }

    /// Totals over every guild.
    public var totalMessagesStored: Int { guilds.reduce(0) { $0 + $1.messagesStored } }
    /// New messages over every guild.
    public var totalMessagesInserted: Int { guilds.reduce(0) { $0 + $1.messagesInserted } }
}
