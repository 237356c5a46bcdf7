import DiscordModels

/// The reactions of one emoji on one message, as of the most recent fetch.
public struct StoredReaction: Sendable, Hashable, Codable {
    /// The message reacted to.
    public var messageId: Snowflake<Message>
    /// `name:id` for custom emoji, the emoji itself for standard ones (see ``emojiKey(_:)``).
    public var emojiKey: String
    /// The custom emoji's id.
    public var emojiId: Snowflake<Emoji>?
    /// The emoji's name or Unicode text.
    public var emojiName: String?
    /// The total count.
    public var count: Int
    /// Normal reactions, when Discord gave the details.
    public var normalCount: Int?
    /// Super-reactions, when Discord gave the details.
    public var burstCount: Int?

    /// Makes a record.
    public init(
        messageId: Snowflake<Message>, emojiKey: String, emojiId: Snowflake<Emoji>?, emojiName: String?, count: Int,
        normalCount: Int?, burstCount: Int?
    ) {
        self.messageId = messageId
        self.emojiKey = emojiKey
        self.emojiId = emojiId
        self.emojiName = emojiName
        self.count = count
        self.normalCount = normalCount
        self.burstCount = burstCount
    }

    /// The key the archive files an emoji's reactions under: `name:id` for custom emoji (the form Discord's
    /// reaction routes accept), the unicode emoji itself for standard ones.
    public static func emojiKey(_ emoji: Emoji) -> String { emojiKey(id: emoji.id, name: emoji.name) }

    /// The emoji key of an emoji given by its id and name.
    public static func emojiKey(id: Snowflake<Emoji>?, name: String?) -> String {
        if let id { return "\(name ?? ""):\(id)" }
        return name ?? ""
    }
}
