/// `GET /gateway/bot`: where to connect and how many identifies remain.
public struct GatewayBot: Sendable, Hashable, Codable {
    public var url: String
    public var shards: Int
    public var sessionStartLimit: SessionStartLimit

    /// Identify budget.
    public struct SessionStartLimit: Sendable, Hashable, Codable {
        public var total: Int
        public var remaining: Int
        /// Milliseconds.
        public var resetAfter: Int
        public var maxConcurrency: Int
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
