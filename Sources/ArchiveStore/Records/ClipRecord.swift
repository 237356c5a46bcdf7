import DiscordModels
import Foundation

/// A clip found in an archived message (see ``ClipStore``).
public struct ClipRecord: Sendable, Hashable, Codable {
    /// The message it was found in.
    public var messageId: Snowflake<Message>
    /// That message's channel.
    public var channelId: Snowflake<Channel>
    /// The guild, when known.
    public var guildId: Snowflake<Guild>?
    /// Who posted it.
    public var authorId: Snowflake<User>?
    /// `attachment`, `embed` or `link`.
    public var kind: String
    /// `discord`, `youtube`, `twitch`, `medal`, `streamable`, `steam`, `direct`, or an embed's provider.
    public var provider: String
    /// The clip's URL.
    public var url: String
    /// For an attachment clip: the attachment.
    public var attachmentId: Snowflake<Attachment>?
    /// Hex SHA-256 of the stored file, once stored.
    public var sha256: String?
    /// The size in bytes (Discord's figure for an attachment, the file's once stored).
    public var size: Int?
    /// The stored file, relative to the media folder.
    public var path: String?
    /// When the clip was first found.
    public var detectedAt: Date
    /// Why an attachment clip has no stored file: skipped (over the guild's `max_download_mb`) or the last download
    /// failure; nil when stored or not tried yet.
    public var fileError: String?

    /// Makes a record.
    public init(
        messageId: Snowflake<Message>, channelId: Snowflake<Channel>, guildId: Snowflake<Guild>?,
        authorId: Snowflake<User>?, kind: String, provider: String, url: String,
        attachmentId: Snowflake<Attachment>? = nil, sha256: String? = nil, size: Int? = nil, path: String? = nil,
        detectedAt: Date, fileError: String? = nil
    ) {
        self.messageId = messageId
        self.channelId = channelId
        self.guildId = guildId
        self.authorId = authorId
        self.kind = kind
        self.provider = provider
        self.url = url
        self.attachmentId = attachmentId
        self.sha256 = sha256
        self.size = size
        self.path = path
        self.detectedAt = detectedAt
        self.fileError = fileError
    }
}
