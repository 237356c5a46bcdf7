import DiscordModels
import Foundation

/// A channel (or guild) a run could not archive, and why.
public struct RunIssue: Sendable, Hashable, Codable {
    /// Whether the object failed (an error) or was skipped on purpose (no permission).
    public enum Kind: String, Sendable, Hashable, Codable {
        case failed
        case skipped
    }

    /// Failed or skipped.
    public var kind: Kind
    /// The guild, when known.
    public var guildId: Snowflake<Guild>?
    /// The channel, when the issue concerns one.
    public var channelId: Snowflake<Channel>?
    /// A human-readable reason, e.g. `"missing READ_MESSAGE_HISTORY"`.
    public var reason: String
    /// When it was recorded.
    public var at: Date

    /// Makes an issue.
    public init(kind: Kind, guildId: Snowflake<Guild>?, channelId: Snowflake<Channel>?, reason: String, at: Date) {
        self.kind = kind
        self.guildId = guildId
        self.channelId = channelId
        self.reason = reason
        self.at = at
    }
}
