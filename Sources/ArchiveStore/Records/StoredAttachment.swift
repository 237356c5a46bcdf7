import DiscordModels
import Foundation

/// An archived attachment and the state of its media download.
public struct StoredAttachment: Sendable, Hashable, Codable {
    public var id: Snowflake<Attachment>
    public var messageId: Snowflake<Message>
    public var channelId: Snowflake<Channel>
    public var filename: String
    public var size: Int
    public var contentType: String?
    /// The signed CDN URL from the most recent fetch (signatures expire; re-fetch the message to refresh).
    public var url: String
    /// The signed media-proxy URL from the most recent fetch.
    public var proxyURL: String
    /// Hex SHA-256 of the downloaded bytes, once downloaded.
    public var sha256: String?
    /// Where the downloaded file is, relative to the media root chosen by the caller.
    public var localPath: String?
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
