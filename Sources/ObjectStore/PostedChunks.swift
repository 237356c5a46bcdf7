/// One chunk message of an upload, posted and recorded in the catalogue (what progress displays count).
public struct PostedChunks: Sendable, Hashable {
    /// The object's archive id (`#DDMMYY-NN`).
    public var archiveId: String
    /// The object's name.
    public var name: String
    /// The first chunk the message carries.
    public var first: Int
    /// The last chunk the message carries.
    public var last: Int
    /// The object's chunk count.
    public var chunkCount: Int
    /// The plain bytes of the chunks the message carries.
    public var bytes: Int64
    /// The object's size in bytes.
    public var objectSize: Int64

    /// Describes a posted message.
    public init(
        archiveId: String, name: String, first: Int, last: Int, chunkCount: Int, bytes: Int64, objectSize: Int64
    ) {
        self.archiveId = archiveId
        self.name = name
        self.first = first
        self.last = last
        self.chunkCount = chunkCount
        self.bytes = bytes
        self.objectSize = objectSize
    }
}
