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
