/// A sticker (`GuildStickerResponse`).
public struct Sticker: Sendable, Hashable, Codable {
    public var id: Snowflake<Sticker>
    public var packId: AnySnowflake?
    public var name: String
    public var description: String?
    public var tags: String?
    public var type: Int?
    public var formatType: StickerFormat?
    public var available: Bool?
    public var guildId: Snowflake<Guild>?
    public var user: User?
    public var sortValue: Int?

    public init(id: Snowflake<Sticker>, name: String, formatType: StickerFormat, guildId: Snowflake<Guild>? = nil) {
        self.id = id
        self.name = name
        self.formatType = formatType
        self.guildId = guildId
        self.type = 2
        self.tags = ""
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, tags, type, available, user
        case packId = "pack_id"
        case formatType = "format_type"
        case guildId = "guild_id"
        case sortValue = "sort_value"
    }
}

/// How a sticker is encoded: 1 PNG, 2 APNG, 3 Lottie, 4 GIF.
public enum StickerFormat: OpenEnum {
    case png, apng, lottie, gif
    case unknown(Int)

    public init(rawValue: Int) {
        switch rawValue {
        case 1: self = .png
        case 2: self = .apng
        case 3: self = .lottie
        case 4: self = .gif
        default: self = .unknown(rawValue)
        }
    }

    public var rawValue: Int {
        switch self {
        case .png: 1
        case .apng: 2
        case .lottie: 3
        case .gif: 4
        case .unknown(let value): value
        }
    }
}
