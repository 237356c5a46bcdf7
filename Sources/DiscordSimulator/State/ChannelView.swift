import DiscordModels

/// A consistent snapshot of one channel (and, for a thread, its parent): the generated timeline plus the
/// overlay. Pure: lists and looks up messages without touching shared state.
struct ChannelView: Sendable {
    let channel: SimChannel
    let overlay: ChannelOverlay
    let parent: SimChannel?
    let parentOverlay: ChannelOverlay?
    let factory: MessageFactory

    var generatedCount: Int { channel.timeline.count }
    var totalCount: Int { channel.timeline.count + overlay.appended.count }

    /// Effective overwrites of this channel.
    var overwrites: [PermissionOverwrite] { overlay.overwrites ?? channel.overwrites }

    /// The id at virtual position `p` (generated, then appended).
    @inline(__always)
    func id(at position: Int) -> UInt64 {
        position < generatedCount ? channel.timeline.id(at: position) : overlay.appended[position - generatedCount].id
    }

    /// Number of messages (deleted included) whose id is below `id`.
    func lowerBound(_ id: UInt64) -> Int {
        let generated = channel.timeline.lowerBound(id)
        if generated < generatedCount { return generated }
        var low = 0
        var high = overlay.appended.count
        while low < high {
            let mid = (low + high) / 2
            if overlay.appended[mid].id < id { low = mid + 1 } else { high = mid }
        }
        return generatedCount + low
    }

    /// The message at a virtual position, with edits applied (deleted ones included).
    func message(at position: Int) -> SimMessage {
        var message =
            position < generatedCount
            ? factory.message(in: channel, at: position) : overlay.appended[position - generatedCount]
        if let edit = overlay.edits[message.id] {
            message.content = edit.content
            message.editedMilliseconds = edit.editedMilliseconds
        }
        if let reactions = overlay.reactions[message.id] { message.reactions = reactions }
        if overlay.pins[message.id] != nil { message.pinned = true }
        if overlay.unpinned.contains(message.id) { message.pinned = false }
        return message
    }

    /// A live message by id, or nil when unknown or deleted.
    func message(id: UInt64) -> SimMessage? {
        guard !overlay.deleted.contains(id) else { return nil }
        let position = lowerBound(id)
        guard position < totalCount, self.id(at: position) == id else { return nil }
        return message(at: position)
    }

    /// When the newest pin still standing was pinned (a channel's `last_pin_timestamp`, CHANNEL_PINS_UPDATE's), nil
    /// when none. A pinned message deleted since still counts: Discord does not roll the time back (as for
    /// `last_message_id`); an unpinned one does not.
    var lastPinMilliseconds: UInt64? {
        var newest = overlay.pins.values.max()
        for k in stride(from: channel.pinCount - 1, through: 0, by: -1) {
            let index = factory.pinnedIndex(k, in: channel)
            guard !overlay.unpinned.contains(channel.timeline.id(at: index)) else { continue }
            newest = max(newest ?? 0, factory.pinnedMilliseconds(index, in: channel))
            break
        }
        return newest
    }

    /// Whether an id exists (deleted or not).
    func contains(id: UInt64) -> Bool {
        let position = lowerBound(id)
        return position < totalCount && self.id(at: position) == id
    }

    /// A message of the parent channel (thread starters), or nil.
    func parentMessage(id: UInt64) -> SimMessage? {
        guard let parent, let parentOverlay else { return nil }
        return ChannelView(channel: parent, overlay: parentOverlay, parent: nil, parentOverlay: nil, factory: factory)
            .message(id: id)
    }

    /// Live positions, newest first, starting at `start` and walking down.
    func positionsDescending(from start: Int, limit: Int) -> [Int] {
        var result: [Int] = []
        var position = start
        while position >= 0 && result.count < limit {
            if overlay.deleted.isEmpty || !overlay.deleted.contains(id(at: position)) { result.append(position) }
            position -= 1
        }
        return result
    }

    /// Live positions, oldest first, starting at `start` and walking up.
    func positionsAscending(from start: Int, limit: Int) -> [Int] {
        var result: [Int] = []
        var position = start
        let total = totalCount
        while position < total && result.count < limit {
            if overlay.deleted.isEmpty || !overlay.deleted.contains(id(at: position)) { result.append(position) }
            position += 1
        }
        return result
    }

    /// The cursor query: positions newest → oldest.
    enum Cursor: Sendable, Hashable {
        case latest
        case before(UInt64)
        case after(UInt64)
        case around(UInt64)
    }

    func page(_ cursor: Cursor, limit: Int) -> [Int] {
        switch cursor {
        case .latest:
            return positionsDescending(from: totalCount - 1, limit: limit)
        case .before(let id):
            return positionsDescending(from: lowerBound(id) - 1, limit: limit)
        case .after(let id):
            let start = id == UInt64.max ? totalCount : lowerBound(id + 1)
            return positionsAscending(from: start, limit: limit).reversed()
        case .around(let id):
            let pivot = id == UInt64.max ? totalCount : lowerBound(id + 1)
            let newer = positionsAscending(from: pivot, limit: limit / 2)
            let older = positionsDescending(from: pivot - 1, limit: limit - newer.count)
            return newer.reversed() + older
        }
    }

    /// Last message id (possibly deleted), as Discord reports it.
    var lastMessageId: UInt64? { totalCount > 0 ? id(at: totalCount - 1) : nil }

    /// Live message count.
    var liveCount: Int { totalCount - overlay.deleted.count }
}
