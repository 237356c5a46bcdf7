import DiscordModels
import Foundation

/// A previous version of a guild-structure object, saved when a newer version meaningfully differed.
public struct HistoryEntry: Sendable, Hashable, Codable {
    /// What the object is.
    public var kind: ObjectKind
    /// Its id.
    public var id: AnySnowflake
    /// The JSON of the previous version, exactly as it had been stored.
    public var json: Data
    /// When that previous version had been stored.
    public var validFrom: Date
    /// When it was replaced.
    public var replacedAt: Date

    /// Makes a record.
    public init(kind: ObjectKind, id: AnySnowflake, json: Data, validFrom: Date, replacedAt: Date) {
        self.kind = kind
        self.id = id
        self.json = json
        self.validFrom = validFrom
        self.replacedAt = replacedAt
    }
}
