import DiscordModels
import Foundation

/// The current version of an archived guild-structure object (guild, channel, role, emoji, sticker, scheduled
/// event or user) as the archive holds it.
public struct StoredObject: Sendable, Hashable, Codable {
    /// What the object is.
    public var kind: ObjectKind
    /// Its id.
    public var id: AnySnowflake
    /// The guild it belongs to (the guild itself for `.guild`; `nil` for users).
    public var guildId: Snowflake<Guild>?
    /// The JSON Discord sent, exactly.
    public var json: Data
    /// When the archive first saw it.
    public var firstSeenAt: Date
    /// When its stored JSON last changed.
    public var updatedAt: Date
    /// Set when a complete listing no longer contained it (deleted on Discord, or no longer visible).
    public var deletedAt: Date?

    /// Makes a record.
    public init(
        kind: ObjectKind, id: AnySnowflake, guildId: Snowflake<Guild>?, json: Data, firstSeenAt: Date,
        updatedAt: Date, deletedAt: Date?
    ) {
        self.kind = kind
        self.id = id
        self.guildId = guildId
        self.json = json
        self.firstSeenAt = firstSeenAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }
}
