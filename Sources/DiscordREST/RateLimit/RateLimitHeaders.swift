/// The rate-limit facts a response carried, parsed from its headers and (for a 429) its body.
public struct RateLimitHeaders: Sendable, Hashable {
    /// `X-RateLimit-Limit`.
    public var limit: Int?
    /// `X-RateLimit-Remaining`.
    public var remaining: Int?
    /// `X-RateLimit-Reset-After`, in seconds.
    public var resetAfter: Double?
    /// `X-RateLimit-Bucket`.
    public var bucket: String?
    /// `X-RateLimit-Global: true`.
    public var isGlobal: Bool
    /// `X-RateLimit-Scope` (`user`, `global`, `shared`), only on a 429.
    public var scope: String?
    /// `Retry-After`, in whole seconds.
    public var retryAfter: Double?

    /// Creates a value; every field defaults to "absent".
    public init(
        limit: Int? = nil, remaining: Int? = nil, resetAfter: Double? = nil, bucket: String? = nil,
        isGlobal: Bool = false, scope: String? = nil, retryAfter: Double? = nil
    ) {
        self.limit = limit
        self.remaining = remaining
        self.resetAfter = resetAfter
        self.bucket = bucket
        self.isGlobal = isGlobal
        self.scope = scope
        self.retryAfter = retryAfter
    }

    /// Parses headers given as a lookup function (case-insensitive names).
    public init(header: (String) -> String?) {
        self.init(
            limit: header("x-ratelimit-limit").flatMap { Int($0) },
            remaining: header("x-ratelimit-remaining").flatMap { Int($0) },
            resetAfter: header("x-ratelimit-reset-after").flatMap { Double($0) },
            bucket: header("x-ratelimit-bucket").flatMap { $0.isEmpty ? nil : $0 },
            isGlobal: header("x-ratelimit-global").map { $0.lowercased() == "true" } ?? false,
            scope: header("x-ratelimit-scope")?.lowercased(),
            retryAfter: header("retry-after").flatMap { Double($0) }
        )
    }

    /// Whether the response described its bucket (hash, remaining and reset).
    public var describesBucket: Bool { bucket != nil && remaining != nil && resetAfter != nil }
}
