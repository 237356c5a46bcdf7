import DiscordModels
import Foundation

/// Leases within one process: enough for an archive only one process writes (SQLite), where workers are the tasks
/// of one engine. Expiry is measured on the clock it is given (a test's virtual clock, or the continuous clock).
public actor LocalChannelLeases<C: Clock>: ChannelLeasing where C.Duration == Duration {
    private var leases: [Snowflake<Channel>: (worker: String, expires: C.Instant)] = [:]
    private let clock: C

    /// An empty lease table whose leases expire on `clock`.
    public init(clock: C) { self.clock = clock }

    /// Takes the lease for `worker` unless another worker holds an unexpired one.
    public func acquireLease(of channel: Snowflake<Channel>, worker: String, ttl: Duration) -> Bool {
        let now = clock.now
        if let lease = leases[channel], lease.worker != worker, lease.expires > now { return false }
        leases[channel] = (worker, now.advanced(by: ttl))
        return true
    }

    /// Extends `worker`'s lease; `false` when it no longer holds it.
    public func renewLease(of channel: Snowflake<Channel>, worker: String, ttl: Duration) -> Bool {
        guard let lease = leases[channel], lease.worker == worker else { return false }
        leases[channel] = (worker, clock.now.advanced(by: ttl))
        return true
    }

    /// Gives the lease up if `worker` holds it.
    public func releaseLease(of channel: Snowflake<Channel>, worker: String) {
        if leases[channel]?.worker == worker { leases[channel] = nil }
    }
}

extension LocalChannelLeases where C == ContinuousClock {
    /// An empty lease table on the continuous clock.
    public init() { self.init(clock: ContinuousClock()) }
}
