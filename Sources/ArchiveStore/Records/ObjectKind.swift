/// The kinds of guild-structure objects the archive keeps, with a history of their previous versions.
///
/// The raw values are stored in the database (`object_history.kind`); never change them.
public enum ObjectKind: String, Sendable, Hashable, Codable, CaseIterable {
    case guild
    case channel
    case role
    case emoji
    case sticker
    case scheduledEvent = "scheduled_event"
    case user
}
