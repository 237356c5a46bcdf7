/// A message embed (`MessageEmbedResponse`).
public struct Embed: Sendable, Hashable, Codable {
    /// Discord's `title` field.
    public var title: String?
    /// Discord's `type` field.
    public var type: String?
    /// Discord's `description` field.
    public var description: String?
    /// Discord's `url` field.
    public var url: String?
    /// Discord's `timestamp` field.
    public var timestamp: DiscordTimestamp?
    /// Discord's `color` field.
    public var color: Int?
    /// Discord's `footer` field.
    public var footer: Footer?
    /// Discord's `image` field.
    public var image: Media?
    /// Discord's `thumbnail` field.
    public var thumbnail: Media?
    /// Discord's `video` field.
    public var video: Media?
    /// Discord's `provider` field.
    public var provider: Provider?
    /// Discord's `author` field.
    public var author: Author?
    /// Discord's `fields` field.
    public var fields: [Field]?

    /// Makes an `Embed`.
    public init(title: String? = nil, type: String? = "rich", description: String? = nil, url: String? = nil) {
        self.title = title
        self.type = type
        self.description = description
        self.url = url
    }

    /// Footer text and icon.
    public struct Footer: Sendable, Hashable, Codable {
        /// Discord's `text` field.
        public var text: String
        /// Discord's `icon_url` field.
        public var iconURL: String?
        /// Discord's `proxy_icon_url` field.
        public var proxyIconURL: String?
        /// Makes a `Footer`.
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
        /// Discord's `url` field.
        public var url: String
        /// Discord's `proxy_url` field.
        public var proxyURL: String?
        /// Discord's `height` field.
        public var height: Int?
        /// Discord's `width` field.
        public var width: Int?
        /// Makes a `Media`.
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
        /// Discord's `name` field.
        public var name: String?
        /// Discord's `url` field.
        public var url: String?
        /// Makes a `Provider`.
        public init(name: String?, url: String? = nil) {
            self.name = name
            self.url = url
        }
    }

    /// The embed's author line.
    public struct Author: Sendable, Hashable, Codable {
        /// Discord's `name` field.
        public var name: String
        /// Discord's `url` field.
        public var url: String?
        /// Discord's `icon_url` field.
        public var iconURL: String?
        /// Discord's `proxy_icon_url` field.
        public var proxyIconURL: String?
        /// Makes an `Author`.
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
        /// Discord's `name` field.
        public var name: String
        /// Discord's `value` field.
        public var value: String
        /// Discord's `inline` field.
        public var inline: Bool?
        /// Makes a `Field`.
        public init(name: String, value: String, inline: Bool? = nil) {
            self.name = name
            self.value = value
            self.inline = inline
        }
    }
}
