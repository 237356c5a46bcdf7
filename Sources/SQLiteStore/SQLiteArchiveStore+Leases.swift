import ArchiveStore
import DiscordModels

/// Channel leases of a SQLite archive (its ``ChannelLeasing`` part): held in this process, since only one process
/// writes the file.
extension SQLiteArchiveStore {
    /// Takes the lease of `channel` for `worker` (see ``ChannelLeasing/acquireLease(of:worker:ttl:)``).
    public func acquireLease(of channel: Snowflake<Channel>, worker: String, ttl: Duration) async throws -> Bool {
        await leases.acquireLease(of: channel, worker: worker, ttl: ttl)
    }

    /// Extends `worker`'s lease of `channel` (see ``ChannelLeasing/renewLease(of:worker:ttl:)``).
    public func renewLease(of channel: Snowflake<Channel>, worker: String, ttl: Duration) async throws -> Bool {
        await leases.renewLease(of: channel, worker: worker, ttl: ttl)
    }

    /// Gives the lease up (see ``ChannelLeasing/releaseLease(of:worker:)``).
    public func releaseLease(of channel: Snowflake<Channel>, worker: String) async throws {
        await leases.releaseLease(of: channel, worker: worker)
    }
}

extension SQLiteArchiveStore {
    /// Takes the lease of a range of `channel` (see ``ChannelLeasing/acquireRangeLease(of:from:worker:ttl:)``).
    public func acquireRangeLease(
        of channel: Snowflake<Channel>, from low: Snowflake<Message>, worker: String, ttl: Duration
    ) async throws -> Bool {
        await leases.acquireRangeLease(of: channel, from: low, worker: worker, ttl: ttl)
    }

    /// Extends `worker`'s lease of a range (see ``ChannelLeasing/renewRangeLease(of:from:worker:ttl:)``).
    public func renewRangeLease(
        of channel: Snowflake<Channel>, from low: Snowflake<Message>, worker: String, ttl: Duration
    ) async throws -> Bool {
        await leases.renewRangeLease(of: channel, from: low, worker: worker, ttl: ttl)
    }

    /// Gives a range's lease up (see ``ChannelLeasing/releaseRangeLease(of:from:worker:)``).
    public func releaseRangeLease(of channel: Snowflake<Channel>, from low: Snowflake<Message>, worker: String)
        async throws
    {
        await leases.releaseRangeLease(of: channel, from: low, worker: worker)
    }
}
