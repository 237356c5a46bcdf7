import DiscordModels

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
