/// A sticker (`GuildStickerResponse`).
public struct Sticker: Sendable, Hashable, Codable {
    /// Discord's `id` field.
    public var id: Snowflake<Sticker>
    /// Discord's `pack_id` field.
    public var packId: AnySnowflake?
    /// Discord's `name` field.
    public var name: String
    /// Discord's `description` field.
    public var description: String?
    /// Discord's `tags` field.
    public var tags: String?
    /// Discord's `type` field.
    public var type: Int?
    /// Discord's `format_type` field.
    public var formatType: StickerFormat?
    /// Discord's `available` field.
    public var available: Bool?
    /// Discord's `guild_id` field.
    public var guildId: Snowflake<Guild>?
    /// Discord's `user` field.
    public var user: User?
    /// Discord's `sort_value` field.
    public var sortValue: Int?

    /// Makes a `Sticker`.
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

    /// Makes a value from its raw value.
    public init(rawValue: Int) {
        switch rawValue {
        case 1: self = .png
        case 2: self = .apng
        case 3: self = .lottie
        case 4: self = .gif
        default: self = .unknown(rawValue)
        }
    }

    /// The raw value.
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
