/// The short sticker form carried by messages.
public struct StickerItem: Sendable, Hashable, Codable {
    public var id: Snowflake<Sticker>
    public var name: String
    public var formatType: StickerFormat

    public init(id: Snowflake<Sticker>, name: String, formatType: StickerFormat) {
        self.id = id
        self.name = name
        self.formatType = formatType
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case formatType = "format_type"
    }
}
