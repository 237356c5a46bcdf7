/// One file an export wrote.
public struct ExportedFile: Sendable, Hashable, Codable {
    /// The path written.
    public var path: String
    /// The channel exported.
    public var channelId: String
    /// Messages in the file.
    public var messageCount: Int
    /// The smallest and largest message id in the file (`nil` when empty).
    public var minId: String?
    /// The max id.
    public var maxId: String?
    /// The first and last message's `timestamp` text.
    public var firstTimestamp: String?
    /// The last timestamp.
    public var lastTimestamp: String?
    /// SHA-256 of the file's bytes, lowercase hex.
    public var sha256: String
    /// The file's size.
    public var bytes: Int

    /// Makes a record.
    public init(
        path: String, channelId: String, messageCount: Int, minId: String?, maxId: String?, firstTimestamp: String?,
        lastTimestamp: String?, sha256: String, bytes: Int
    ) {
        self.path = path
        self.channelId = channelId
        self.messageCount = messageCount
        self.minId = minId
        self.maxId = maxId
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.sha256 = sha256
        self.bytes = bytes
    }
}
