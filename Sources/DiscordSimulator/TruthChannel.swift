import DiscordModels

/// Ground truth about one channel (see `SimulatorServer.truthChannel`).
public struct TruthChannel: Sendable, Hashable {
    /// The id.
    public var id: Snowflake<DiscordModels.Channel>
    /// The type.
    public var type: ChannelType
    /// The parent id.
    public var parentId: Snowflake<DiscordModels.Channel>?
    /// The name.
    public var name: String
    /// Whether the bot has VIEW_CHANNEL.
    public var viewable: Bool
    /// Whether the bot may read the history (VIEW_CHANNEL and READ_MESSAGE_HISTORY).
    public var readable: Bool
    /// For threads: whether archived.
    public var archived: Bool?
    /// The live message count.
    public var liveMessageCount: Int
}
