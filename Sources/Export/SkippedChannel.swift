import DiscordModels

/// A channel an export left out, and why (for example, its messages were never archived).
public struct SkippedChannel: Sendable, Hashable {
    /// The channel.
    public var id: Snowflake<Channel>
    /// Its name, for the user.
    public var name: String
    /// Why no file was written.
    public var reason: String

    /// Makes a record.
    public init(id: Snowflake<Channel>, name: String, reason: String) {
        self.id = id
        self.name = name
        self.reason = reason
    }
}
