import Foundation

/// When the first write of a run may go on a target bucket that an earlier, killed run may have spent (pure).
///
/// A rerun's limiter knows nothing: a bucket it never used looks full, but the killed run's writes still count
/// on the server for the rest of their window (fluxer-api.md §2: fixed windows in [B], a leaky bucket in [N]).
/// The archive knows when each of those writes was recorded (the mirror map's `createdAt`), so the first write
/// of a bucket waits until the writes of the last window, plus the ones that may have been sent but never
/// recorded, leave room for one more. From then on the limiter learns the bucket from the response's headers.
public struct MirrorWarmStart: Sendable, Hashable {
    /// A bucket's documented limit: `limit` writes per `window`.
    public struct Limit: Sendable, Hashable {
        /// Writes per window.
        public var limit: Int
        /// The window, in seconds.
        public var window: Double

        /// Makes a limit.
        public init(limit: Int, window: Double) {
            self.limit = limit
            self.window = window
        }

        /// `POST /webhooks/{id}/{token}`: 60 per 60 s per webhook (fluxer-api.md §2).
        public static let webhookExecute = Limit(limit: 60, window: 60)
        /// `POST /guilds/{g}/channels`: 10 per 60 s per guild.
        public static let channelCreate = Limit(limit: 10, window: 60)
        /// `POST /guilds/{g}/roles`: 10 per 60 s per guild.
        public static let roleCreate = Limit(limit: 10, window: 60)

        // Discord documents no figures ("never hard-code limits", discord-api.md §2); these are the buckets the
        // Discord simulator models on what clients observe, only used to pace a rerun's first write.
        /// Discord `POST /webhooks/{id}/{token}`: 5 per 2 s per webhook.
        public static let discordWebhookExecute = Limit(limit: 5, window: 2)
        /// Discord `POST /guilds/{g}/channels`: 5 per 5 s per guild.
        public static let discordChannelCreate = Limit(limit: 5, window: 5)
        /// Discord `POST /guilds/{g}/roles`: 250 per 48 h per guild.
        public static let discordRoleCreate = Limit(limit: 250, window: 172_800)
    }

    /// The bucket's limit.
    public var limit: Limit
    /// Writes that may have reached the server without being recorded (one per sender that was in flight).
    public var unrecorded: Int
    /// Added to every recorded time: the records hold whole seconds, and a write is recorded after it was sent.
    public var slack: Double

    /// A warm start for `limit`.
    public init(limit: Limit, unrecorded: Int = 1, slack: Double = 1.5) {
        self.limit = limit
        self.unrecorded = unrecorded
        self.slack = slack
    }

    /// The earliest instant the next write may be sent, given when earlier writes on the bucket were recorded;
    /// `now` when there is room already.
    public func earliestSend(recorded: [Date], now: Date) -> Date {
        let window = limit.window + slack
        let recent = recorded.filter { now.timeIntervalSince($0) < window }.sorted()
        let used = recent.count + unrecorded
        guard used >= limit.limit else { return now }
        // Room for one more once `used - limit + 1` of the recent writes have left the window (the unrecorded
        // ones are older than nothing we know: count them as leaving last).
        let leaving = used - limit.limit + 1
        guard leaving <= recent.count else {
            return (recent.last ?? now).addingTimeInterval(window)
        }
        return recent[leaving - 1].addingTimeInterval(window)
    }
}
