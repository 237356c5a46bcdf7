import DiscordModels

/// The ids of a channel's generated messages: index `i` maps to a snowflake whose millisecond part grows
/// strictly with `i`, so an id (or any cursor) maps back to an index by binary search.
struct MessageTimeline: Sendable, Hashable {
    /// Number of generated messages.
    let count: Int
    /// Unix milliseconds of message 0.
    let startMilliseconds: UInt64
    /// Milliseconds spanned (at least `count`, so each index has its own millisecond).
    let spanMilliseconds: UInt64
    /// Salt for the low bits.
    let salt: UInt64
    /// When set, message 0 has exactly this id (a thread whose first message shares the thread's id).
    let firstId: UInt64?

    init(count: Int, startMilliseconds: UInt64, endMilliseconds: UInt64, salt: UInt64, firstId: UInt64? = nil) {
        self.count = max(0, count)
        self.startMilliseconds = startMilliseconds
        let span = endMilliseconds > startMilliseconds ? endMilliseconds - startMilliseconds : 0
        self.spanMilliseconds = max(span, UInt64(max(1, count)))
        self.salt = salt
        self.firstId = firstId
    }

    /// Unix milliseconds of message `index`.
    @inline(__always)
    func milliseconds(at index: Int) -> UInt64 {
        guard count > 0 else { return startMilliseconds }
        let product = UInt64(index).multipliedFullWidth(by: spanMilliseconds)
        let offset = UInt64(count).dividingFullWidth(product).quotient
        return startMilliseconds + offset
    }

    /// The id of message `index`.
    @inline(__always)
    func id(at index: Int) -> UInt64 {
        if index == 0, let firstId { return firstId }
        let ms = milliseconds(at: index)
        let low = Mix.hash(salt, UInt64(index)) & 0x3FFFF  // worker, process, increment
        return (ms - Snowflake<AnyTag>.discordEpochMilliseconds) << Snowflake<AnyTag>.timestampShift | low
    }

    /// Number of generated messages whose id is below `id` (the insertion point of a cursor).
    func lowerBound(_ id: UInt64) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if self.id(at: mid) < id { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The index of the message with exactly this id, if generated.
    func index(of id: UInt64) -> Int? {
        let position = lowerBound(id)
        return position < count && self.id(at: position) == id ? position : nil
    }

    /// The index of the message created at exactly this millisecond, if any (attachment ids share their
    /// message's millisecond).
    func index(atMilliseconds ms: UInt64) -> Int? {
        let position = lowerBound((ms - Snowflake<AnyTag>.discordEpochMilliseconds) << Snowflake<AnyTag>.timestampShift)
        return position < count && milliseconds(at: position) == ms ? position : nil
    }

    /// The id after the last message (or the start), for appended messages.
    var endId: UInt64 {
        count > 0
            ? id(at: count - 1)
            : (startMilliseconds - Snowflake<AnyTag>.discordEpochMilliseconds) << Snowflake<AnyTag>.timestampShift
    }
}
