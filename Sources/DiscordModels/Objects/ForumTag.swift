/// A tag that forum posts can carry.
public struct ForumTag: Sendable, Hashable, Codable {
    /// Discord's `id` field.
    public var id: AnySnowflake
    /// Discord's `name` field.
    public var name: String
    /// Discord's `moderated` field.
    public var moderated: Bool?
    /// Discord's `emoji_id` field.
    public var emojiId: Snowflake<Emoji>?
    /// Discord's `emoji_name` field.
    public var emojiName: String?

    /// Makes a `ForumTag`.
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
