/// What a written export file holds and hashes to: the facts an export reports for each file (``ExportedFile``)
/// and a windowed export's manifest records for verification (``ExportManifest/Entry``). Made by the exporters
/// (the memberwise initializer is the module's own).
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
}
