import Foundation

/// One object of `skald store`'s catalogue: a file kept as attachments in a Discord channel.
public struct CatalogueObject: Sendable, Hashable, Codable {
    /// Where an object stands.
    public enum State: String, Sendable, Hashable, Codable {
        /// Chunks are being posted; `resume` finishes it.
        case uploading
        /// Every chunk and the manifest are in the channel.
        case complete
        /// Deleted with `store rm`; the row stays as a tombstone.
        case removed
    }

    /// The object id (32 hex digits), also in the manifest and the attachment names.
    public var objectId: String
    /// The archive id users know (`#DDMMYY-NN`).
    public var archiveId: String
    /// The file name (without folders).
    public var name: String
    /// The channel holding the chunks.
    public var channelId: String
    /// The size in bytes.
    public var size: Int64
    /// Where the object stands.
    public var state: State
    /// The file the object was read from (for `resume`).
    public var sourcePath: String?
    /// The manifest as JSON (chunk message ids filled in as they are posted).
    public var manifestJSON: String
    /// The message carrying the manifest, once posted.
    public var manifestMessageId: String?
    /// When the upload began.
    public var createdAt: Date

    /// Creates a catalogue entry.
    public init(
        objectId: String, archiveId: String, name: String, channelId: String, size: Int64, state: State,
        sourcePath: String?, manifestJSON: String, manifestMessageId: String?, createdAt: Date
    ) {
        self.objectId = objectId
        self.archiveId = archiveId
        self.name = name
        self.channelId = channelId
        self.size = size
        self.state = state
        self.sourcePath = sourcePath
        self.manifestJSON = manifestJSON
        self.manifestMessageId = manifestMessageId
        self.createdAt = createdAt
    }
}
