import DiscordModels
import Foundation

/// Live capture's part of the archive: gateway events committed in batches together with the gateway session
/// they advance, so a process killed at any instant resumes exactly where the archive stands.
///
/// Guarantees (on top of ``ArchiveStore``'s):
/// - A ``LiveBatch`` commits in one transaction: its messages, deletions, channels, members, left guilds, the
///   session record and (``LiveBatch/marksClips``) the clip saver's marks of its messages, or nothing.
/// - Deletions seen on the gateway are tombstones marked ``DeletionSource/live``; tombstones set by a recheck
///   stay ``DeletionSource/inferred``.
///
/// ```swift
/// let result = try await store.storeLiveBatch(batch)    // one transaction
/// let session = try await store.gatewaySession("0/1")   // after a restart: resume from here
/// ```
public protocol LiveCaptureStore: Sendable {
    /// Commits a batch of live changes and the session record in one transaction.
    @discardableResult
    func storeLiveBatch(_ batch: LiveBatch) async throws -> LiveBatchResult

    /// The gateway session stored under `key` (one per shard), if any.
    func gatewaySession(_ key: String) async throws -> GatewaySessionRecord?

    /// How the tombstone of a message was set, or nil when it is not deleted (or unknown).
    func deletionSource(of message: Snowflake<Message>, in channel: Snowflake<Channel>) async throws
        -> DeletionSource?

    /// Guilds marked left (the bot was removed), with when.
    func leftGuilds() async throws -> [Snowflake<Guild>: Date]
}
