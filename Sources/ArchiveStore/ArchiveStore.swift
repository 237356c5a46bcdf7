import DiscordModels
import Foundation

/// Where the archive lives: a backend-neutral, async store (SQLite through GRDB, PostgreSQL through PostgresNIO),
/// composed of one protocol per capability, so code asks only for what it uses (an exporter needs a
/// ``MessageStore`` and a ``StructureStore``, `migrate-store` an ``ArchiveTransfer``) and nothing downcasts a store:
/// ``StoreLifecycle`` (open, migrate, close), ``StructureStore``, ``MessageStore``, ``MessageBrowsing``,
/// ``ImportStore``, ``RunStore``, ``MediaStore``, ``ChannelLeasing`` and ``ArchiveTransfer``. Every backend is all
/// of them.
///
/// Guarantees every backend keeps (the conformance suite in `StoreTests` checks them):
/// - **Lossless**: every object keeps the exact JSON Discord sent beside its typed columns.
/// - **Atomic pages**: a ``MessagePage`` (messages, attachments, reactions, users, revisions, checkpoint,
///   segment) commits in one transaction or not at all.
/// - **Idempotent**: storing the same data twice changes nothing.
/// - **Never deletes**: an edit keeps the previous version as a ``MessageRevision``; a deletion sets a
///   tombstone; a meaningful change to a guild, channel, role, emoji, sticker or scheduled event keeps the
///   previous JSON as a ``HistoryEntry``.
/// - **Messages are identified by (channel, id)**, never by id alone: a thread started from a message has that
///   message's id, and the thread's first message (``MessageType`` 21, thread starter) has the same id, so one id
///   can have a row in the parent channel and another in the thread. Both are kept; revisions, reactions,
///   reaction users, attachments and imported-message sources belong to one of them. Attachment ids are unique.
///
/// ```swift
/// let store: any ArchiveStore = try SQLiteArchiveStore(path: "skald-archive/archive.sqlite")
/// try await store.open()
/// try await store.storeGuild(GuildSnapshot(guild: guild, channels: channels, roles: roles))
/// let result = try await store.storeMessagePage(MessagePage(channelId: c, guildId: g, messages: page,
///                                                           checkpoint: checkpoint))
/// for try await batch in store.messageBatches(in: c) { export(batch) }
/// ```
public protocol ArchiveStore: StoreLifecycle, StructureStore, MessageStore, MessageBrowsing, ImportStore, RunStore,
    MediaStore, ChannelLeasing, ArchiveTransfer
{
    /// Counts over the whole archive.
    func stats() async throws -> ArchiveStats
}
