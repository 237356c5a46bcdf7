extension ObjectKind {
    /// The table holding the current versions of this kind (the same name in every backend).
    public var table: String {
        switch self {
        case .guild: "guild"
        case .channel: "channel"
        case .role: "role"
        case .emoji: "emoji"
        case .sticker: "sticker"
        case .scheduledEvent: "scheduled_event"
        case .user: "discord_user"
        }
    }
}
