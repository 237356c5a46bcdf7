/// The short sticker form carried by messages.
public struct StickerItem: Sendable, Hashable, Codable {
    /// Discord's `id` field.
    public var id: Snowflake<Sticker>
    /// Discord's `name` field.
    public var name: String
    /// Discord's `format_type` field.
    public var formatType: StickerFormat

    /// Makes a `StickerItem`.
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
