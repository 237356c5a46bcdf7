import DiscordModels

/// The REST work a watch owes while Discord's edge refuses its address: the gateway stays up during such a ban, so
/// its events are stored as they arrive, and only what needs REST waits here for the ban's end — a new session's gap
/// fill, a joined guild's backfill, a message's reaction counts, a channel's pins. A pure value: the recorder adds to it and takes it.
///
/// Bounded: a message owes one refresh however many reactions it gets, and past ``refreshLimit`` messages further
/// refreshes are counted, not kept (their reaction users are stored from the events; only the counts wait for the
/// next read of the message). Gap fills are a set of guilds (or every watched guild), whatever the ban's length.
struct LiveOwedWork: Sendable {
    /// A message whose reaction counts are to be read again.
    struct Refresh: Sendable, Hashable {
        var message: Snowflake<Message>
        var channel: Snowflake<Channel>
        var guild: Snowflake<Guild>?
    }

    /// A channel whose pins are to be read again (after CHANNEL_PINS_UPDATE).
    struct PinsRefresh: Sendable, Hashable {
        var channel: Snowflake<Channel>
        var guild: Snowflake<Guild>?
    }

    /// What a gap fill covers.
    enum GapFill: Sendable, Hashable {
        /// Every watched guild (an unsharded watch's new session).
        case everything
        /// These guilds (a shard's guilds, joined guilds).
        case guilds(Set<Snowflake<Guild>>)

        /// The two together.
        func union(_ other: GapFill) -> GapFill {
            switch (self, other) {
            case (.guilds(let mine), .guilds(let theirs)): return .guilds(mine.union(theirs))
            default: return .everything
            }
        }
    }

    /// One turn of owed work, in the order it is done: the gap fill first (it may commit a waiting session), then
    /// the refreshes, then the pins.
    struct Turn: Sendable, Hashable {
        var gapFill: GapFill?
        var refreshes: [Refresh]
        var pinRefreshes: [PinsRefresh] = []
    }

    /// The most messages owing a refresh at once (about 100 bytes each).
    let refreshLimit: Int
    private(set) var gapFill: GapFill?
    private(set) var refreshes: [Refresh] = []
    private var owing: Set<Snowflake<Message>> = []
    /// Channels whose pins are owed a read: one read each however many pin events (at most one per channel).
    private(set) var pinRefreshes: [PinsRefresh] = []
    /// Refreshes not kept since the limit was reached.
    private(set) var droppedRefreshes = 0

    init(refreshLimit: Int = 10_000) {
        self.refreshLimit = refreshLimit
    }

    /// Whether nothing is owed.
    var isEmpty: Bool { gapFill == nil && refreshes.isEmpty && pinRefreshes.isEmpty }

    /// Owes a gap fill of `guilds` (nil: every watched guild).
    mutating func oweGapFill(of guilds: [Snowflake<Guild>]?) {
        let fill = guilds.map { GapFill.guilds(Set($0)) } ?? .everything
        gapFill = gapFill.map { $0.union(fill) } ?? fill
    }

    /// Owes a refresh of `refresh.message`; returns false when it was dropped (the limit is reached).
    @discardableResult
    mutating func oweRefresh(_ refresh: Refresh) -> Bool {
        if owing.contains(refresh.message) { return true }
        guard refreshes.count < refreshLimit else {
            droppedRefreshes += 1
            return false
        }
        owing.insert(refresh.message)
        refreshes.append(refresh)
        return true
    }

    /// Owes a read of `refresh.channel`'s pins (once however often it is owed).
    mutating func owePinsRefresh(_ refresh: PinsRefresh) {
        if !pinRefreshes.contains(refresh) { pinRefreshes.append(refresh) }
    }

    /// Takes everything owed, leaving nothing; nil when nothing is owed.
    mutating func take() -> Turn? {
        guard !isEmpty else { return nil }
        defer {
            gapFill = nil
            refreshes = []
            owing = []
            pinRefreshes = []
        }
        return Turn(gapFill: gapFill, refreshes: refreshes, pinRefreshes: pinRefreshes)
    }
}
