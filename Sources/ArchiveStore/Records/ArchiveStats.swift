/// Counts over the whole archive, as `skald stats --json` prints them (the property names are the JSON keys).
public struct ArchiveStats: Sendable, Hashable, Codable {
    /// Guilds archived, and those known only from imported DCE exports.
    public var guilds: Int
    /// Guilds known only from imported DCE exports (no archived copy), included in `guilds`.
    public var importedOnlyGuilds: Int = 0
    /// Non-thread channels (categories, text, voice, forum…), tombstoned ones included, and the channels (threads
    /// too: an export does not say which) known only from imported DCE exports.
    public var channels: Int
    /// Channels known only from imported DCE exports (no archived copy), included in `channels`.
    public var importedOnlyChannels: Int = 0
    /// Threads.
    public var threads: Int
    /// Every message: archived ones (tombstoned included) and those known only from imported DCE exports.
    public var messages: Int
    /// Messages not tombstoned (imported ones included).
    public var liveMessages: Int
    /// Messages known only from imported DCE exports (no archived copy), included in `messages`.
    public var importedOnlyMessages: Int = 0
    /// Messages with an `edited_timestamp`.
    public var editedMessages: Int
    /// Tombstoned messages.
    public var deletedMessages: Int
    /// Earlier message versions kept.
    public var revisions: Int
    /// Attachments listed by archived messages.
    public var attachments: Int
    /// Attachments whose media was downloaded.
    public var downloadedAttachments: Int
    /// Reaction rows (one per message and emoji).
    public var reactions: Int
    /// Users seen (authors, mentions, members, reaction users).
    public var users: Int
    /// Guild members stored.
    public var members: Int
    /// Roles, tombstoned ones included.
    public var roles: Int
    /// Custom emojis, tombstoned ones included.
    public var emojis: Int
    /// Guild stickers, tombstoned ones included.
    public var stickers: Int
    /// Scheduled events, tombstoned ones included.
    public var scheduledEvents: Int

    /// Makes stats; every count defaults to zero.
    public init(
        guilds: Int = 0, channels: Int = 0, threads: Int = 0, messages: Int = 0, liveMessages: Int = 0,
        editedMessages: Int = 0, deletedMessages: Int = 0, revisions: Int = 0, attachments: Int = 0,
        downloadedAttachments: Int = 0, reactions: Int = 0, users: Int = 0, members: Int = 0, roles: Int = 0,
        emojis: Int = 0, stickers: Int = 0, scheduledEvents: Int = 0
    ) {
        self.guilds = guilds
        self.channels = channels
        self.threads = threads
        self.messages = messages
        self.liveMessages = liveMessages
        self.editedMessages = editedMessages
        self.deletedMessages = deletedMessages
        self.revisions = revisions
        self.attachments = attachments
        self.downloadedAttachments = downloadedAttachments
        self.reactions = reactions
        self.users = users
        self.members = members
        self.roles = roles
        self.emojis = emojis
        self.stickers = stickers
        self.scheduledEvents = scheduledEvents
    }
}
