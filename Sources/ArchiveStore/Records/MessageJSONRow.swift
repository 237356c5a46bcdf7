import DiscordModels
import Foundation

/// A message as an export reads it: only what rendering and the import merge need (the id, the edit time, the
/// tombstone and the exact JSON), not the whole ``StoredMessage`` row.
public struct MessageJSONRow: Sendable, Hashable {
    /// The message's id.
    public var id: Snowflake<Message>
    /// When the current version was edited (`nil` if never).
    public var editedTimestamp: DiscordTimestamp?
    /// Whether the archive found it deleted on Discord.
    public var isDeleted: Bool
    /// The JSON of the current version, exactly as Discord sent it.
    public var json: Data

    /// Makes a row.
    public init(id: Snowflake<Message>, editedTimestamp: DiscordTimestamp?, isDeleted: Bool, json: Data) {
        self.id = id
        self.editedTimestamp = editedTimestamp
        self.isDeleted = isDeleted
        self.json = json
    }

    /// The row of a stored message.
    public init(_ message: StoredMessage) {
        self.init(
            id: message.id, editedTimestamp: message.editedTimestamp, isDeleted: message.deletedAt != nil,
            json: message.json)
    }
}
