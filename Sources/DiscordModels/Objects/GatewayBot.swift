/// `GET /gateway/bot`: where to connect and how many identifies remain.
public struct GatewayBot: Sendable, Hashable, Codable {
    /// Discord's `url` field.
    public var url: String
    /// Discord's `shards` field.
    public var shards: Int
    /// Discord's `session_start_limit` field.
    public var sessionStartLimit: SessionStartLimit

    /// Identify budget.
    public struct SessionStartLimit: Sendable, Hashable, Codable {
        /// Discord's `total` field.
        public var total: Int
        /// Discord's `remaining` field.
        public var remaining: Int
        /// Milliseconds.
        public var resetAfter: Int
        /// Discord's `max_concurrency` field.
        public var maxConcurrency: Int
        /// Makes a `SessionStartLimit`.
        public init(total: Int, remaining: Int, resetAfter: Int, maxConcurrency: Int) {
            self.total = total
            self.remaining = remaining
            self.resetAfter = resetAfter
            self.maxConcurrency = maxConcurrency
        }
        enum CodingKeys: String, CodingKey {
            case total, remaining
            case resetAfter = "reset_after"
            case maxConcurrency = "max_concurrency"
        }
    }

    /// Makes a `GatewayBot`.
    public init(url: String, shards: Int, sessionStartLimit: SessionStartLimit) {
        self.url = url
        self.shards = shards
        self.sessionStartLimit = sessionStartLimit
    }

    enum CodingKeys: String, CodingKey {
        case url, shards
        case sessionStartLimit = "session_start_limit"
    }
}
