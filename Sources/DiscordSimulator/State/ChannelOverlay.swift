import DiscordModels

/// What happened to a channel since generation: appended messages (ids above every generated one), edits,
/// tombstones, and replaced permission overwrites.
struct ChannelOverlay: Sendable {
    /// Created messages, ascending by id.
    var appended: [SimMessage] = []
    /// Edited content by message id.
    var edits: [UInt64: MessageEdit] = [:]
    /// Deleted message ids.
    var deleted: Set<UInt64> = []
    /// Replaced overwrites (after `PUT /channels/{c}/permissions/{id}`).
    var overwrites: [PermissionOverwrite]?
    /// The newest thread created under this channel at runtime (a forum's `last_message_id`).
    var lastThreadId: UInt64?
    /// Reactions added at runtime (`/__sim/mutate` `react`), by message id: the message's reactions after them.
    var reactions: [UInt64: [SimReaction]] = [:]
    /// Messages pinned at runtime (`PUT /channels/{c}/messages/pins/{m}`): message id → pinned_at (ms).
    var pins: [UInt64: UInt64] = [:]
    /// Generated pins unpinned at runtime (`DELETE /channels/{c}/messages/pins/{m}`). An id is never in both
    /// ``pins`` and here.
    var unpinned: Set<UInt64> = []

    /// An edit's result.
    struct MessageEdit: Sendable, Hashable {
        var content: String
        var editedMilliseconds: UInt64
    }

    static let empty = ChannelOverlay()
}
