import ArchiveStore
import DiscordModels
import Foundation

// Several workers on one archive (`skald archive --worker`), added by the PostgreSQL helper: each channel is
// fetched under a lease so two workers never fetch it at once; a channel another worker holds is waited for (its
// lease released or expired) and skipped when that worker synced it during this run.
extension ArchiveEngine {
    /// Archives a channel, under a lease when ``ArchiveConfiguration/worker`` is set.
    func archiveChannelLeased(
        _ plan: ChannelPlan, archiver: ChannelArchiver, parts: Int, recheckSince: Date?
    ) async throws -> ChannelReport {
        guard let worker = configuration.worker else {
            return try await archiveChannel(plan, archiver: archiver, parts: parts, recheckSince: recheckSince)
        }
        // The store's own leases: in the database for PostgreSQL (shared by processes), in memory for SQLite.
        let leases: any ChannelLeasing = store
        let ttl = configuration.leaseTTL
        var waited = false
        while true {
            try Task.checkCancellation()
            let acquired = try await wrapStorage {
                try await leases.acquireLease(of: plan.id, worker: worker, ttl: ttl)
            }
            if acquired {
                // Another worker may have finished the channel while we waited, or before we came to it.
                if let checkpoint = try await wrapStorage({ try await store.checkpoint(for: plan.id) }),
                    checkpoint.backfillComplete, let synced = checkpoint.lastSyncAt, synced >= createdAt
                {
                    try? await leases.releaseLease(of: plan.id, worker: worker)
                    logger.debug(
                        "channel synced by another worker", metadata: ["channel": "\(plan.id)", "waited": "\(waited)"])
                    return ChannelReport()
                }
                return try await withThrowingTaskGroup(of: ChannelReport?.self) { group in
                    // The heartbeat: renew every third of the lease. A lease lost (this process stalled longer than
                    // the lease) is logged; the fetch goes on, which is safe (pages are idempotent) but may repeat
                    // another worker's requests.
                    group.addTask {
                        while true {
                            try await clock.sleep(for: ttl / 3)
                            guard (try? await leases.renewLease(of: plan.id, worker: worker, ttl: ttl)) == true else {
                                logger.warning("channel lease lost", metadata: ["channel": "\(plan.id)"])
                                return nil
                            }
                        }
                    }
                    group.addTask {
                        try await archiveChannel(plan, archiver: archiver, parts: parts, recheckSince: recheckSince)
                    }
                    defer { group.cancelAll() }
                    while let report = try await group.next() {
                        if let report {
                            group.cancelAll()
                            try? await leases.releaseLease(of: plan.id, worker: worker)
                            return report
                        }
                    }
                    return ChannelReport()
                }
            }
            // Held by another worker: come back when its lease may have been released or expired.
            waited = true
            try await clock.sleep(for: min(ttl / 3, .seconds(1)))
        }
    }
}
