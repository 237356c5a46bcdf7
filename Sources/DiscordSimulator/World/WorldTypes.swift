import DiscordModels

/// A generated user (human or bot).
struct SimUser: Sendable, Hashable {
    let id: UInt64
    let username: String
    let globalName: String?
    let avatarHash: String?
    let isBot: Bool
    let joinedMilliseconds: UInt64
    /// Indices into the guild's roles.
    let roleIndices: [Int]
}

/// A generated custom emoji.
struct SimEmoji: Sendable, Hashable {
    let id: UInt64
    let name: String
    let animated: Bool
    let creatorIndex: Int
}

/// A generated guild sticker.
struct SimSticker: Sendable, Hashable {
    let id: UInt64
    let name: String
    let description: String?
    let tags: String
    let formatType: Int
    let creatorIndex: Int
}

/// A generated scheduled event.
struct SimEvent: Sendable, Hashable {
    let id: UInt64
    let channelId: UInt64?
    let creatorIndex: Int
    let name: String
    let description: String?
    let startMilliseconds: UInt64
    let endMilliseconds: UInt64?
    let status: Int
    let entityType: Int
    let location: String?
    let userCount: Int
}

/// Thread-only facts.
struct SimThreadInfo: Sendable, Hashable {
    var archived: Bool
    var archiveMilliseconds: UInt64
    var autoArchiveDuration: Int
    var locked: Bool
    var createMilliseconds: UInt64
    /// Index of the starter message in the parent (threads started from a message).
    var starterIndex: Int?
    /// Bot user ids that joined the thread.
    var joinedBots: Set<UInt64>
    var ownerId: UInt64
    var invitable: Bool
}

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

/// A generated guild.
struct SimGuild: Sendable, Hashable {
    let id: UInt64
    let index: Int
    let name: String
    let ownerIndex: Int
    let iconHash: String?
    let createdMilliseconds: UInt64
    let roles: [Role]
    /// Role ids every bot holds.
    let botRoleIds: [Snowflake<Role>]
    /// Channels (no threads) in generation order.
    let channelIds: [UInt64]
    /// Message-holding channels in ordinal order (`--channels`).
    let messageChannelIds: [UInt64]
    let threadIds: [UInt64]
    let emojis: [SimEmoji]
    let stickers: [SimSticker]
    let events: [SimEvent]
    let systemChannelId: UInt64?
}
