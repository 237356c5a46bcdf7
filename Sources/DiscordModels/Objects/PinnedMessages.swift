/// A page of `GET /channels/{c}/messages/pins`.
public struct PinnedMessages: Sendable, Hashable, Codable {
    public var items: [Item]
    public var hasMore: Bool

    /// A pinned message and when it was pinned.
    public struct Item: Sendable, Hashable, Codable {
        public var pinnedAt: DiscordTimestamp
        public var message: Message
        public init(pinnedAt: DiscordTimestamp, message: Message) {
            self.pinnedAt = pinnedAt
            self.message = message
        }
        enum CodingKeys: String, CodingKey {
            case message
            case pinnedAt = "pinned_at"
        }
    }

    public init(items: [Item], hasMore: Bool) {
        self.items = items
        self.hasMore = hasMore
    }

    enum CodingKeys: String, CodingKey {
        case items
        case hasMore = "has_more"
    }
}
