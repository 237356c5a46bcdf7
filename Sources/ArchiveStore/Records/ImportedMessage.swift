import DiscordModels
import Foundation

/// A message taken from an imported export file (DiscordChatExporter JSON), kept in that file's own form: the
/// archive never invents the Discord JSON the file lacks. Exporters write `json` back as it is.
public struct ImportedMessage: Sendable, Hashable, Codable {
    /// The id.
    public var id: Snowflake<Message>
    /// The channel id.
    public var channelId: Snowflake<Channel>
    /// The guild id.
    public var guildId: Snowflake<Guild>?
    /// The message's `timestamp` text as the file had it (`nil` if the file lacked it).
    public var timestamp: String?
    /// The DCE message object as compact UTF-8 JSON, keys in the file's order.
    public var json: Data

    /// Makes a record.
    public init(
        id: Snowflake<Message>, channelId: Snowflake<Channel>, guildId: Snowflake<Guild>?, timestamp: String?,
        json: Data
    ) {
        self.id = id
        self.channelId = channelId
        self.guildId = guildId
        self.timestamp = timestamp
        self.json = json
    }
}
