/// A message embed (`MessageEmbedResponse`).
public struct Embed: Sendable, Hashable, Codable {
    public var title: String?
    public var type: String?
    public var description: String?
    public var url: String?
    public var timestamp: DiscordTimestamp?
    public var color: Int?
    public var footer: Footer?
    public var image: Media?
    public var thumbnail: Media?
    public var video: Media?
    public var provider: Provider?
    public var author: Author?
    public var fields: [Field]?

    public init(title: String? = nil, type: String? = "rich", description: String? = nil, url: String? = nil) {
        self.title = title
        self.type = type
        self.description = description
        self.url = url
    }

    /// Footer text and icon.
    public struct Footer: Sendable, Hashable, Codable {
        public var text: String
        public var iconURL: String?
        public var proxyIconURL: String?
        public init(text: String, iconURL: String? = nil) {
            self.text = text
            self.iconURL = iconURL
        }
        enum CodingKeys: String, CodingKey {
            case text
            case iconURL = "icon_url"
            case proxyIconURL = "proxy_icon_url"
        }
    }

    /// An image, thumbnail or video.
    public struct Media: Sendable, Hashable, Codable {
        public var url: String
        public var proxyURL: String?
        public var height: Int?
        public var width: Int?
        public init(url: String, proxyURL: String? = nil, width: Int? = nil, height: Int? = nil) {
            self.url = url
            self.proxyURL = proxyURL
            self.width = width
            self.height = height
        }
        enum CodingKeys: String, CodingKey {
            case url, height, width
            case proxyURL = "proxy_url"
        }
    }

    /// The site an embed came from.
    public struct Provider: Sendable, Hashable, Codable {
        public var name: String?
        public var url: String?
        public init(name: String?, url: String? = nil) {
            self.name = name
            self.url = url
        }
    }

    /// The embed's author line.
    public struct Author: Sendable, Hashable, Codable {
        public var name: String
        public var url: String?
        public var iconURL: String?
        public var proxyIconURL: String?
        public init(name: String, url: String? = nil, iconURL: String? = nil) {
            self.name = name
            self.url = url
            self.iconURL = iconURL
        }
        enum CodingKeys: String, CodingKey {
            case name, url
            case iconURL = "icon_url"
            case proxyIconURL = "proxy_icon_url"
        }
    }

    /// A name/value field.
    public struct Field: Sendable, Hashable, Codable {
        public var name: String
        public var value: String
        public var inline: Bool?
        public init(name: String, value: String, inline: Bool? = nil) {
            self.name = name
            self.value = value
            self.inline = inline
        }
    }
}
