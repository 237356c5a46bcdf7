import DiscordModels
import Foundation

/// A previous version of a message, kept when an edit replaced it.
public struct MessageRevision: Sendable, Hashable, Codable {
    /// The message id.
    public var messageId: Snowflake<Message>
    /// The `edited_timestamp` of that version (`nil` for the original).
    public var editedTimestamp: DiscordTimestamp?
    /// Its content.
    public var content: String
    /// Its JSON, exactly as it had been stored.
    public var json: Data
    /// When the archive saved it as a revision.
    public var recordedAt: Date

    /// Makes a record.
    public init(
        messageId: Snowflake<Message>, editedTimestamp: DiscordTimestamp?, content: String, json: Data,
        recordedAt: Date
    ) {
        self.messageId = messageId
        self.editedTimestamp = editedTimestamp
        self.content = content
        self.json = json
        self.recordedAt = recordedAt
    }
}
