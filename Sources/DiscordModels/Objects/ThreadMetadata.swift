/// A thread's archive state.
public struct ThreadMetadata: Sendable, Hashable, Codable {
    /// Discord's `archived` field.
    public var archived: Bool
    /// Discord's `auto_archive_duration` field.
    public var autoArchiveDuration: Int?
    /// Discord's `archive_timestamp` field.
    public var archiveTimestamp: DiscordTimestamp?
    /// Discord's `locked` field.
    public var locked: Bool?
    /// Discord's `invitable` field.
    public var invitable: Bool?
    /// Discord's `create_timestamp` field.
    public var createTimestamp: DiscordTimestamp?

    /// Makes a `ThreadMetadata`.
    public init(
        archived: Bool, autoArchiveDuration: Int? = 1440, archiveTimestamp: DiscordTimestamp?, locked: Bool = false
    ) {
        self.archived = archived
        self.autoArchiveDuration = autoArchiveDuration
        self.archiveTimestamp = archiveTimestamp
        self.locked = locked
    }

    enum CodingKeys: String, CodingKey {
        case archived, locked, invitable
        case autoArchiveDuration = "auto_archive_duration"
        case archiveTimestamp = "archive_timestamp"
        case createTimestamp = "create_timestamp"
    }
}
