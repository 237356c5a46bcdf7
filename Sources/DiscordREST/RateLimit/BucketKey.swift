/// Where limiter state lives once Discord has named a route's bucket: the bucket hash plus the major value.
///
/// `/channels/1/messages` and `/channels/2/messages` share a hash but not a counter.
public struct BucketKey: Hashable, Sendable, CustomStringConvertible {
    /// The opaque `X-RateLimit-Bucket` value.
    public let hash: String
    /// The major parameter's value, as in ``RouteKey/major``.
    public let major: String

    /// Creates a key.
    public init(hash: String, major: String) {
        self.hash = hash
        self.major = major
    }

    /// A textual representation.
    public var description: String { major.isEmpty ? hash : "\(hash) [\(major)]" }
}
