/// A tag that forum posts can carry.
public struct ForumTag: Sendable, Hashable, Codable {
    public var id: AnySnowflake
    public var name: String
    public var moderated: Bool?
    public var emojiId: Snowflake<Emoji>?
    public var emojiName: String?

    public init(id: AnySnowflake, name: String, moderated: Bool = false) {
        self.id = id
        self.name = name
        self.moderated = moderated
    }

    enum CodingKeys: String, CodingKey {
        case id, name, moderated
        case emojiId = "emoji_id"
        case emojiName = "emoji_name"
    }
}
