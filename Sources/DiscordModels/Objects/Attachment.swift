/// A file attached to a message (`MessageAttachmentResponse`). `url` and `proxyURL` are signed and expire.
public struct Attachment: Sendable, Hashable, Codable {
    /// Discord's `id` field.
    public var id: Snowflake<Attachment>
    /// Discord's `filename` field.
    public var filename: String
    /// Discord's `title` field.
    public var title: String?
    /// Discord's `description` field.
    public var description: String?
    /// Discord's `content_type` field.
    public var contentType: String?
    /// Discord's `size` field.
    public var size: Int
    /// Discord's `url` field.
    public var url: String
    /// Discord's `proxy_url` field.
    public var proxyURL: String
    /// Discord's `height` field.
    public var height: Int?
    /// Discord's `width` field.
    public var width: Int?
    /// Discord's `ephemeral` field.
    public var ephemeral: Bool?
    /// Discord's `duration_secs` field.
    public var durationSecs: Double?
    /// Discord's `waveform` field.
    public var waveform: String?
    /// Discord's `flags` field.
    public var flags: Int?

    /// Makes an `Attachment`.
    public init(
        id: Snowflake<Attachment>, filename: String, contentType: String?, size: Int, url: String, proxyURL: String
    ) {
        self.id = id
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.url = url
        self.proxyURL = proxyURL
    }

    enum CodingKeys: String, CodingKey {
        case id, filename, title, description, size, url, height, width, ephemeral, waveform, flags
        case contentType = "content_type"
        case proxyURL = "proxy_url"
        case durationSecs = "duration_secs"
    }
}
