import DiscordModels
import Foundation

/// An archived attachment and the state of its media download.
public struct StoredAttachment: Sendable, Hashable, Codable {
    /// The attachment's id.
    public var id: Snowflake<Attachment>
    /// The message it is attached to.
    public var messageId: Snowflake<Message>
    /// That message's channel.
    public var channelId: Snowflake<Channel>
    /// The file name.
    public var filename: String
    /// The size in bytes, as Discord reports it.
    public var size: Int
    /// The media type, when given.
    public var contentType: String?
    /// The signed CDN URL from the most recent fetch (signatures expire; re-fetch the message to refresh).
    public var url: String
    /// The signed media-proxy URL from the most recent fetch.
    public var proxyURL: String
    /// Hex SHA-256 of the downloaded bytes, once downloaded.
    public var sha256: String?
    /// Where the downloaded file is, relative to the media root chosen by the caller.
    public var localPath: String?
    /// When the media was downloaded (`nil` if not yet).
    public var downloadedAt: Date?
    /// The last download failure, if the most recent attempt failed.
    public var downloadError: String?
    /// How many download attempts failed so far.
    public var failedAttempts: Int

    /// Makes a record.
    public init(
        id: Snowflake<Attachment>, messageId: Snowflake<Message>, channelId: Snowflake<Channel>, filename: String,
        size: Int, contentType: String?, url: String, proxyURL: String, sha256: String?, localPath: String?,
        downloadedAt: Date?, downloadError: String?, failedAttempts: Int
    ) {
        self.id = id
        self.messageId = messageId
        self.channelId = channelId
        self.filename = filename
        self.size = size
        self.contentType = contentType
        self.url = url
        self.proxyURL = proxyURL
        self.sha256 = sha256
        self.localPath = localPath
        self.downloadedAt = downloadedAt
        self.downloadError = downloadError
        self.failedAttempts = failedAttempts
    }
}
