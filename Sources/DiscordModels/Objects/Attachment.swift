/// A file attached to a message (`MessageAttachmentResponse`). `url` and `proxyURL` are signed and expire.
public struct Attachment: Sendable, Hashable, Codable {
    public var id: Snowflake<Attachment>
    public var filename: String
    public var title: String?
    public var description: String?
    public var contentType: String?
    public var size: Int
    public var url: String
    public var proxyURL: String
    public var height: Int?
    public var width: Int?
    public var ephemeral: Bool?
    public var durationSecs: Double?
    public var waveform: String?
    public var flags: Int?

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
