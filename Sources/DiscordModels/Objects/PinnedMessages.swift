/// A page of `GET /channels/{c}/messages/pins`.
public struct PinnedMessages: Sendable, Hashable, Codable {
    /// Discord's `items` field.
    public var items: [Item]
    /// Discord's `has_more` field.
    public var hasMore: Bool

    /// A pinned message and when it was pinned.
    public struct Item: Sendable, Hashable, Codable {
        /// Discord's `pinned_at` field.
        public var pinnedAt: DiscordTimestamp
        /// Discord's `message` field.
        public var message: Message
        /// Makes an `Item`.
        public init(pinnedAt: DiscordTimestamp, message: Message) {
            self.pinnedAt = pinnedAt
            self.message = message
        }
        enum CodingKeys: String, CodingKey {
            case message
            case pinnedAt = "pinned_at"
        }
    }

    /// Makes a `PinnedMessages`.
    public init(items: [Item], hasMore: Bool) {
        self.items = items
        self.hasMore = hasMore
    }

    enum CodingKeys: String, CodingKey {
        case items
        case hasMore = "has_more"
    }
}
