import ArchiveStore
import DiscordModels
import Foundation

/// A channel's pins as Discord's pins route lists them (discord-api.md §3.3, §13): most recently pinned first, an
/// ISO `before` exclusive on `pinned_at`. A pin time live capture read from the pins route is answered as stored; a
/// message whose pin time the archive never saw (pinned before the archive began watching, or found pinned by
/// `archive`, which reads messages, not pins) falls back to its own timestamp, as the route answered before.
///
/// ```swift
/// let pins = ChannelPinList(pinned: messages, pinTimes: try await store.pinTimes(in: channel))
/// let (items, hasMore) = pins.page(before: nil, limit: 50)
/// ```
struct ChannelPinList {
    /// One pin: the message and when it was pinned.
    struct Item {
        /// The message pinned.
        var message: StoredMessage
        /// `pinned_at` as answered: the stored pin time, else the message's own timestamp.
        var pinnedAt: DiscordTimestamp
        /// The moment `pinnedAt` names, for ordering and `before`.
        var moment: Date
    }

    /// Every pin, most recently pinned first (by id, newest first, among pins of the same moment).
    let items: [Item]

    /// The pins of `pinned` (the channel's pinned messages), with the pin times the archive knows.
    init(pinned: [StoredMessage], pinTimes: [Snowflake<Message>: String]) {
        items = pinned.map { message in
            let stored = pinTimes[message.id].map(DiscordTimestamp.init(rawValue:))
            let pinnedAt = stored.flatMap { $0.date == nil ? nil : $0 } ?? message.timestamp
            return Item(message: message, pinnedAt: pinnedAt, moment: pinnedAt.date ?? message.id.date)
        }.sorted { ($0.moment, $0.message.id) > ($1.moment, $1.message.id) }
    }

    /// Up to `limit` pins made before `before` (all when `nil`), and whether more are left after them.
    func page(before: Date?, limit: Int) -> (items: ArraySlice<Item>, hasMore: Bool) {
        let start = before.map { before in items.firstIndex { $0.moment < before } ?? items.endIndex } ?? 0
        let rest = items[start...]
        return (rest.prefix(limit), rest.count > limit)
    }
}
