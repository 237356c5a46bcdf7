/// One clip found in a message by ``ClipDetector``.
public struct DetectedClip: Sendable, Hashable, Codable {
    /// Attachment, embed or link.
    public var kind: ClipKind
    /// The service: `discord` for attachments, `youtube`, `twitch`, `medal`, `streamable`, `steam`, `direct`, or
    /// an embed's provider.
    public var provider: String
    /// The clip's URL (an attachment's CDN URL, an embed's video URL, the link as written).
    public var url: String
    /// For attachments: the attachment's id.
    public var attachmentId: UInt64?
    /// For attachments: the file name.
    public var filename: String?
    /// For attachments: the size in bytes Discord reports.
    public var size: Int?

    /// Makes a clip.
    public init(
        kind: ClipKind, provider: String, url: String, attachmentId: UInt64? = nil, filename: String? = nil,
        size: Int? = nil
    ) {
        self.kind = kind
        self.provider = provider
        self.url = url
        self.attachmentId = attachmentId
        self.filename = filename
        self.size = size
    }
}
