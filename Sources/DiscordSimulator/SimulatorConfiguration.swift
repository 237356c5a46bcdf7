import ServerLifecycle

/// Everything that shapes a simulated Discord: the generated world, the behaviours (rate limits, intents,
/// cursor strictness) and the faults.
///
/// ```swift
/// var config = SimulatorConfiguration()
/// config.seed = 7
/// config.channelsPerGuild = 12
/// config.bucketOverrides = ["messages": .init(limit: 20, window: .seconds(1))]
/// let sim = try await SimulatorServer.start(config)
/// ```
public struct SimulatorConfiguration: Sendable {
    // MARK: World

    /// Seed of every generated value; the same seed gives the same bytes.
    public var seed: UInt64 = 1
    /// Number of guilds; every bot is a member of each.
    public var guilds: Int = 1
    /// Message-holding channels (text, announcement, one voice) per guild. Categories and forums come on top.
    public var channelsPerGuild: Int = 6
    /// Messages per message-holding channel (generated on demand: ten million cost no memory).
    public var messagesPerChannel: Int = 500
    /// Per-channel message counts by the channel's ordinal among the guild's message channels (0-based),
    /// overriding `messagesPerChannel`, e.g. `[0: 10_000_000]`.
    public var messageCountOverrides: [Int: Int] = [:]
    /// Threads per guild (active and archived, public and private, and forum posts).
    public var threadsPerGuild: Int = 6
    /// Human users (members of every guild) besides the bots.
    public var users: Int = 30
    /// Unix milliseconds at which the generated history ends (default 2026-11-01T00:00:00Z). The whole world moves
    /// with it (users, guilds, channels and messages keep their spacing), and a snowflake holds its creation time:
    /// ids as the spec allows them (`^(0|[1-9][0-9]{0,19})$`, unsigned 64-bit). A history ending after
    /// 2084-09-06T15:47:35.552Z (``idsAtOrAbove2To63``) holds ids at or above 2^63; one ending about four years
    /// after it (``historyEndStraddling2To63``) has each channel's messages run from below 2^63 to above it.
    /// Clamped to the instants an id can hold and to no earlier than the default.
    public var historyEndMilliseconds: UInt64 = Self.defaultHistoryEndMilliseconds

    /// 2026-11-01T00:00:00Z: where the generated history ends unless told otherwise.
    public static var defaultHistoryEndMilliseconds: UInt64 { 1_793_491_200_000 }
    /// The first Unix millisecond whose snowflakes are at or above 2^63 (2084-09-06T15:47:35.552Z).
    public static var idsAtOrAbove2To63: UInt64 { (1 << 41) + 1_420_070_400_000 }
    /// A history end (2088-09-06) that makes every generated channel's messages straddle 2^63: structure (users,
    /// guilds, channels) below it, each channel's older messages below and its newer ones above.
    public static var historyEndStraddling2To63: UInt64 { idsAtOrAbove2To63 + 4 * 365 * 86_400_000 }
    /// Bot tokens; each is a separate bot user, member of every guild, with its own rate-limit state.
    public var tokens: [String] = ["sim-token"]

    // MARK: Behaviour

    /// Whether the app has the MESSAGE_CONTENT intent; without it content, embeds, attachments, components and
    /// polls are empty except on the bot's own messages and messages that mention it.
    public var messageContentIntent: Bool = true
    /// Whether the app has the GUILD_MEMBERS flag; without it the member list answers 403 50001.
    public var guildMembersIntent: Bool = true
    /// How many first searches of each guild (`GET /guilds/{g}/messages/search`) find its index not built yet and
    /// are answered `202` with code 110000 and ``searchIndexRetryAfter`` (discord-api-docs: message.mdx, "If the
    /// entity you are searching is not yet indexed, the endpoint will return a 202"), so a client's retry can be
    /// tested. `0`: every guild is indexed. `/__sim/mutate` `{"op": "searchIndex", "guildId", "pending"}` sets it
    /// for one guild while running.
    public var searchIndexWarmup: Int = 0
    /// The `retry_after` (whole seconds) of a 202 "Index not yet available"; the docs' example says 2, and `0` means
    /// "after a short delay".
    public var searchIndexRetryAfter: Int = 2
    /// How several message cursors in one request are treated.
    public var cursorMode: CursorMode = .strict
    /// The rate-limit profile.
    public var rateLimits: RateLimitProfile = .discord
    /// Bucket limits by bucket name (`messages`, `message`, `messageCreate`, `pins`, `reactions`, `threads`,
    /// `guild`, `members`, `channel`, `user`, `webhooks`, `emojis`, ...).
    public var bucketOverrides: [String: BucketLimit] = [:]
    /// Requests per second per token before a global 429.
    public var globalLimitPerSecond: Int = 50
    /// Probability that a rate-limited request is answered with a `shared`-scope 429 (not counted as invalid).
    public var sharedRateLimitRate: Double = 0
    /// 401/403/non-shared 429 responses within `invalidRequestWindow` that trigger a ban.
    public var invalidRequestThreshold: Int = 10_000
    /// Whether the message-history bucket (`messages`) lies: its `X-RateLimit-Limit` and `X-RateLimit-Remaining`
    /// report twice the limit it enforces (discord-api-docs #8161 reports this of the real Discord).
    public var lyingHeaders: Bool = false
    /// An unannounced per-token limit on message history (`GET /channels/{id}/messages`, every channel together):
    /// this many requests per second, answered with a `user` 429 whose headers still show requests remaining.
    public var hiddenMessageLimitPerSecond: Int?
    /// Sliding window over which invalid requests are counted.
    public var invalidRequestWindow: Duration = .seconds(600)
    /// How long a ban lasts.
    public var banDuration: Duration = .seconds(3600)
    /// The status of a ban's answers: 429 (Cloudflare's error 1015, with `Retry-After`) or 403 (error 1020, without);
    /// the reference names both ("non-JSON 429/403").
    public var banStatus: Int = 429

    // MARK: Faults and CDN

    /// Delay added before every API answer.
    public var latency: Duration = .zero
    /// Whether API answers are gzip-compressed for a request whose `Accept-Encoding` accepts gzip, as Discord's front
    /// end does (`Content-Encoding: gzip`); identity otherwise, and always when false (`skald sim --no-compression`).
    public var compression: Bool = true
    /// Fraction of API requests answered with a 5xx, a connection reset or a truncated body.
    public var faultRate: Double = 0
    /// Lifetime of signed attachment URLs.
    public var attachmentURLLifetime: Duration = .seconds(86_400)
    /// Bytes allowed per uploaded file before a 413 (40005); Discord's default for bots is 10 MiB.
    public var uploadLimit: Int = 10 * 1024 * 1024

    // MARK: Server

    /// The time source of rate-limit windows, bans and signed-URL expiry (tests: ``VirtualTime/clock``).
    public var clock: SimulatorClock = .system

    /// Host to bind.
    public var host: String = "127.0.0.1"
    /// Port to bind; 0 picks a free port.
    public var port: Int = 0
    /// How long requests in flight may take once ``SimulatorServer/shutdown()`` started; what is still open then is
    /// closed (idle connections are closed at once).
    public var shutdownGracePeriod: Duration = ShutdownGrace.standard
    /// The gateway's timing and limits.
    public var gateway = GatewayConfiguration()

    /// A configuration with every default.
    public init() {}

    /// How several cursors (`around`, `before`, `after`) in one message-list request are treated.
    public enum CursorMode: String, Sendable, CaseIterable {
        /// 400 50035: the documented contract.
        case strict
        /// Honour one (around, then after, then before), as Discord does.
        case discord
    }

    /// Which rate limits apply.
    public enum RateLimitProfile: String, Sendable, CaseIterable {
        /// Discord-like buckets and the global limit.
        case discord
        /// No limits (headers are still sent).
        case off
    }

    /// The names `buckets` overrides take (the route groups of the rate-limit table), sorted.
    public static var bucketNames: [String] { RateLimitTable.defaults.keys.sorted() }

    /// A bucket's size: `limit` requests per `window`, optionally enforcing a smaller hidden limit.
    public struct BucketLimit: Sendable, Hashable {
        /// Requests allowed per window (what the headers advertise).
        public var limit: Int
        /// Window length.
        public var window: Duration
        /// When set, the bucket 429s after this many requests although the headers still show `Remaining > 0`.
        public var hiddenLimit: Int?

        /// A bucket of `limit` requests per `window`.
        public init(limit: Int, window: Duration, hiddenLimit: Int? = nil) {
            self.limit = limit
            self.window = window
            self.hiddenLimit = hiddenLimit
        }

        /// Parses `N/Ws` (e.g. `20/1s`, `5/0.5s`, `5/5`).
        public init?(parsing text: String) {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let limit = Int(parts[0]), limit > 0 else { return nil }
            var windowText = parts[1]
            if windowText.hasSuffix("ms") {
                guard let ms = Double(windowText.dropLast(2)), ms > 0 else { return nil }
                self.init(limit: limit, window: .milliseconds(Int64(ms)))
                return
            }
            if windowText.hasSuffix("s") { windowText = windowText.dropLast() }
            guard let seconds = Double(windowText), seconds > 0 else { return nil }
            self.init(limit: limit, window: .milliseconds(Int64(seconds * 1000)))
        }
    }
}
