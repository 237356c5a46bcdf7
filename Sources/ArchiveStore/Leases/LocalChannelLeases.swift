import DiscordModels
import Foundation

/// Leases within one process: enough for an archive only one process writes (SQLite), where workers are the tasks
/// of one engine. Expiry is measured on the clock it is given (a test's virtual clock, or the continuous clock).
public actor LocalChannelLeases<C: Clock>: ChannelLeasing where C.Duration == Duration {
    /// What a lease is on: a whole channel (`low` nil) or the range of its messages starting at `low`.
    private struct Key: Hashable {
        var channel: Snowflake<Channel>
        var low: Snowflake<Message>?
    }

    private var leases: [Key: (worker: String, expires: C.Instant)] = [:]
    private let clock: C

    /// An empty lease table whose leases expire on `clock`.
    public init(clock: C) { self.clock = clock }

    /// Takes the lease for `worker` unless another worker holds an unexpired one.
    public func acquireLease(of channel: Snowflake<Channel>, worker: String, ttl: Duration) -> Bool {
        acquire(Key(channel: channel), worker: worker, ttl: ttl)
    }

    /// Extends `worker`'s lease; `false` when it no longer holds it.
    public func renewLease(of channel: Snowflake<Channel>, worker: String, ttl: Duration) -> Bool {
        renew(Key(channel: channel), worker: worker, ttl: ttl)
    }

    /// Gives the lease up if `worker` holds it.
    public func releaseLease(of channel: Snowflake<Channel>, worker: String) {
        release(Key(channel: channel), worker: worker)
    }

    /// Takes the range's lease for `worker` unless another worker holds an unexpired one.
    public func acquireRangeLease(
        of channel: Snowflake<Channel>, from low: Snowflake<Message>, worker: String, ttl: Duration
    ) -> Bool {
        acquire(Key(channel: channel, low: low), worker: worker, ttl: ttl)
    }

    /// Extends `worker`'s lease of the range; `false` when it no longer holds it.
    public func renewRangeLease(
        of channel: Snowflake<Channel>, from low: Snowflake<Message>, worker: String, ttl: Duration
    ) -> Bool {
        renew(Key(channel: channel, low: low), worker: worker, ttl: ttl)
    }

    /// Gives the range's lease up if `worker` holds it.
    public func releaseRangeLease(of channel: Snowflake<Channel>, from low: Snowflake<Message>, worker: String) {
        release(Key(channel: channel, low: low), worker: worker)
    }

    private func acquire(_ key: Key, worker: String, ttl: Duration) -> Bool {
        let now = clock.now
        if let lease = leases[key], lease.worker != worker, lease.expires > now { return false }
        leases[key] = (worker, now.advanced(by: ttl))
        return true
    }

    private func renew(_ key: Key, worker: String, ttl: Duration) -> Bool {
        guard let lease = leases[key], lease.worker == worker else { return false }
        leases[key] = (worker, clock.now.advanced(by: ttl))
        return true
    }

    private func release(_ key: Key, worker: String) {
        if leases[key]?.worker == worker { leases[key] = nil }
    }
}

extension LocalChannelLeases where C == ContinuousClock {
    /// An empty lease table on the continuous clock.
    public init() { self.init(clock: ContinuousClock()) }
}
