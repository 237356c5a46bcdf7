import DiscordModels
import Foundation

/// The channel header of an imported export file: its `guild` and `channel` objects exactly as the file had
/// them (compact JSON), and the file they came from. The latest import of a channel replaces the header.
public struct ImportedChannel: Sendable, Hashable, Codable {
    /// The channel id.
    public var channelId: Snowflake<Channel>
    /// `nil` for direct messages (DCE's pseudo-guild `"0"`).
    public var guildId: Snowflake<Guild>?
    /// The file's `guild` object, compact JSON.
    public var guildJSON: Data
    /// The file's `channel` object, compact JSON.
    public var channelJSON: Data
    /// The path of the file, as given to the importer.
    public var source: String
    /// When the import was committed.
    public var importedAt: Date
    /// The file's `exportedAt`, when it has one (DCE 2.4x); decides between versions of equal edit state.
    public var exportedAt: Date?

    /// Makes a record.
    public init(
        channelId: Snowflake<Channel>, guildId: Snowflake<Guild>?, guildJSON: Data, channelJSON: Data,
        source: String, importedAt: Date, exportedAt: Date? = nil
    ) {
        self.channelId = channelId
        self.guildId = guildId
        self.guildJSON = guildJSON
        self.channelJSON = channelJSON
        self.source = source
        self.importedAt = importedAt
        self.exportedAt = exportedAt
    }
}

extension ImportedChannel {
    /// Whether the channel is one of `guild`'s; guild `0` is direct messages, as DCE names their pseudo-guild (its
    /// exports before 2.26 named it `@me`; both import as no guild).
    public func belongs(to guild: Snowflake<Guild>) -> Bool {
        (guildId?.rawValue ?? 0) == guild.rawValue
    }
}
