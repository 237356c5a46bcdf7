import DiscordModels

/// A guild channel or thread of the generated world.
struct SimChannel: Sendable, Hashable {
    let id: UInt64
    let guildId: UInt64
    let guildIndex: Int
    var type: ChannelType
    var name: String
    var position: Int
    var parentId: UInt64?
    var topic: String?
    var overwrites: [PermissionOverwrite]
    var nsfw: Bool
    /// The generated messages (count 0 for categories and forums).
    var timeline: MessageTimeline
    var thread: SimThreadInfo?
    /// Pinned message count among the generated messages.
    var pinCount: Int
    var rateLimitPerUser: Int
    var bitrate: Int?
    var userLimit: Int?

    var isThread: Bool { type.isThread }
}
