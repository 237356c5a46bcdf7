/// Who a 429 applies to (`X-RateLimit-Scope`).
public enum RateLimitScope: String, Sendable, Hashable {
    /// This token's limit on the route's bucket.
    case user
    /// This token's global limit: every request pauses.
    case global
    /// A limit shared by everyone on the resource; not counted as an invalid request.
    case shared
}
