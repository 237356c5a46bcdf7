import DiscordModels

/// Leases on channels, so several `skald archive --worker` processes sharing one archive never fetch the same
/// channel at once: a worker takes a channel's lease before fetching it, renews it (a heartbeat) while it works,
/// and releases it when done. A lease not renewed expires, and another worker may then take the channel over
/// (a killed worker's channels are not lost).
///
/// ```swift
/// if try await leases.acquireLease(of: channel, worker: "host-123", ttl: .seconds(30)) {
///     defer { Task { try? await leases.releaseLease(of: channel, worker: "host-123") } }
///     …   // renewLease every ttl/3
/// }
/// ```
public protocol ChannelLeasing: Sendable {
    /// Takes the lease of `channel` for `worker` until `ttl` from now, when nobody holds it, its holder's lease
    /// expired, or `worker` holds it already. Never waits for another worker.
    /// - Returns: whether `worker` holds the lease now.
    func acquireLease(of channel: Snowflake<Channel>, worker: String, ttl: Duration) async throws -> Bool

    /// Extends `worker`'s lease of `channel` to `ttl` from now.
    /// - Returns: `false` when `worker` no longer holds it (it expired and another worker took it).
    func renewLease(of channel: Snowflake<Channel>, worker: String, ttl: Duration) async throws -> Bool

    /// Gives the lease up (does nothing when `worker` does not hold it).
    func releaseLease(of channel: Snowflake<Channel>, worker: String) async throws

    /// Takes the lease of the range of `channel`'s messages starting at `low` (a segment of its backfill), so two
    /// workers may fetch different ranges of one channel at once but never the same range. Independent of the
    /// channel's own lease; the same rules as ``acquireLease(of:worker:ttl:)``.
    /// - Returns: whether `worker` holds the range's lease now.
    func acquireRangeLease(of channel: Snowflake<Channel>, from low: Snowflake<Message>, worker: String, ttl: Duration)
        async throws -> Bool

    /// Extends `worker`'s lease of the range starting at `low`; `false` when it no longer holds it.
    func renewRangeLease(of channel: Snowflake<Channel>, from low: Snowflake<Message>, worker: String, ttl: Duration)
        async throws -> Bool

    /// Gives the range's lease up (does nothing when `worker` does not hold it).
    func releaseRangeLease(of channel: Snowflake<Channel>, from low: Snowflake<Message>, worker: String) async throws
}
