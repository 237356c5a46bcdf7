/// Counters served at `/__sim/stats` and by `SimulatorServer.stats()`.
public struct SimulatorStats: Sendable, Hashable {
    /// 429s by scope.
    public struct RateLimited: Sendable, Hashable {
        /// The user.
        public var user = 0
        /// The global.
        public var global = 0
        /// The shared.
        public var shared = 0
        /// User-scope 429s from the unannounced per-token limit (`hiddenMessageLimitPerSecond`).
        public var hidden = 0
        /// User-scope 429s whose headers said requests remained (lying headers, hidden limits).
        public var despiteRemaining = 0
        /// User-scope 429s per route template (`POST /webhooks/{webhook.id}/{webhook.token}`): which bucket a
        /// client misjudged.
        public var userByRoute: [String: Int] = [:]
    }

    /// API requests received (faulted, limited and banned ones included; CDN and admin excluded).
    public var requests = 0
    /// Requests per route template, e.g. `GET /channels/{channel.id}/messages`.
    public var byRoute: [String: Int] = [:]
    /// Requests per route template of each token, keyed by the token's position in the simulator's token list
    /// (requests without a valid token are not counted here).
    public var byToken: [Int: [String: Int]] = [:]
    /// 429s by scope.
    public var rateLimited = RateLimited()
    /// 401, 403 and non-shared 429 responses since start.
    public var invalidRequests = 0
    /// Invalid responses within the sliding window now.
    public var invalidRequestsInWindow = 0
    /// Bans started.
    public var bans = 0
    /// Whether a ban is in force.
    public var banned = false
    /// Responses refused because of a ban.
    public var bannedResponses = 0
    /// API answers sent gzip-compressed (the request accepted gzip; ``SimulatorConfiguration/compression``), and
    /// their bytes before and after compression.
    public var compressedAnswers = 0
    /// The compressed answers' bytes before compression.
    public var compressedBytesIn = 0
    /// The compressed answers' bytes as sent.
    public var compressedBytesOut = 0
    /// Injected faults in total and by kind (`serverError`, `connectionReset`, `truncatedBody`).
    public var faultsTotal = 0
    /// The faults.
    public var faults: [String: Int] = [:]
    /// Successful list fetches keyed `route|major id|cursor`: a value above 1 is a page fetched twice.
    public var pages: [String: Int] = [:]
    /// The round trip in which each route's first request arrived, per route template: 1 when it arrived before
    /// any answer went out, n when it arrived after an answer to a request of round trip n − 1 (so a client that
    /// sends what does not depend on an earlier answer at once has its requests in the lowest round trips).
    public var firstRoundTrip: [String: Int] = [:]

    /// Pages fetched more than once.
    public var duplicatePages: Int { pages.values.filter { $0 > 1 }.count }
}
