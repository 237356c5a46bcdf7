/// What a written export file holds and hashes to: the facts an export reports for each file (``ExportedFile``)
/// and a windowed export's manifest records for verification (``ExportManifest/Entry``).
public struct ExportedFileFacts: Sendable, Hashable, Codable {
    /// Messages in the file.
    public var messageCount: Int
    /// The smallest message id in the file (`nil` when empty).
    public var minId: String?
    /// The largest message id in the file (`nil` when empty).
    public var maxId: String?
    /// The first message's `timestamp` text.
    public var firstTimestamp: String?
    /// The last message's `timestamp` text.
    public var lastTimestamp: String?
    /// SHA-256 of the file's bytes, lowercase hex.
    public var sha256: String
    /// The file's size in bytes.
    public var bytes: Int

    /// Makes the facts of a file.
    public init(
        messageCount: Int, minId: String?, maxId: String?, firstTimestamp: String?, lastTimestamp: String?,
        sha256: String, bytes: Int
    ) {
        self.messageCount = messageCount
        self.minId = minId
        self.maxId = maxId
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.sha256 = sha256
        self.bytes = bytes
    }
}
