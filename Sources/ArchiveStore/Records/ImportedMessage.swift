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
    /// Where the message's `author` object lies in ``json``, when the reader that made the record saw it: a store
    /// indexes the author from these bytes without reading the whole message again. A hint about ``json``, not part
    /// of the message: equality, hashing and coding leave it out, and `nil` only costs the store that read.
    public var authorRange: Range<Int>?
    /// Where the message's `content` string lies in ``json`` (a JSON string, quotes included), when the reader that
    /// made the record saw it: a store feeds its full-text index from these bytes. A hint like ``authorRange``.
    public var contentRange: Range<Int>?

    /// Makes a record.
    public init(
        id: Snowflake<Message>, channelId: Snowflake<Channel>, guildId: Snowflake<Guild>?, timestamp: String?,
        json: Data, authorRange: Range<Int>? = nil, contentRange: Range<Int>? = nil
    ) {
        self.id = id
        self.channelId = channelId
        self.guildId = guildId
        self.timestamp = timestamp
        self.json = json
        self.authorRange = authorRange
        self.contentRange = contentRange
    }

    private enum CodingKeys: String, CodingKey {
        case id, channelId, guildId, timestamp, json
    }

    /// Whether the two are the same message in the same form (the hints ``authorRange`` and ``contentRange`` left
    /// out).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.id == rhs.id && lhs.channelId == rhs.channelId && lhs.guildId == rhs.guildId
            && lhs.timestamp == rhs.timestamp && lhs.json == rhs.json
    }

    /// Hashes what ``==`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(channelId)
        hasher.combine(guildId)
        hasher.combine(timestamp)
        hasher.combine(json)
    }
}
