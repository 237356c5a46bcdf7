/// A thread's archive state.
public struct ThreadMetadata: Sendable, Hashable, Codable {
    public var archived: Bool
    public var autoArchiveDuration: Int?
    public var archiveTimestamp: DiscordTimestamp?
    public var locked: Bool?
    public var invitable: Bool?
    public var createTimestamp: DiscordTimestamp?

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
