import ArchiveStore
import DiscordModels
import Synchronization

/// The writes of each guild's structure (the guild, its channels, roles, emojis, stickers, events, active threads),
/// started by discovery and awaited by what must not commit before them: a channel's pages, segments and
/// checkpoint. The first message page of each channel is requested while its guild's structure is written (its
/// request needs the channels and the bot's permissions, never the stored rows), and it commits once the rows it
/// belongs to are in: a crash at any instant never leaves a page (or a checkpoint) of a channel the archive does not
/// list.
final class StructureWrites: Sendable {
    private let writes = Mutex<[Snowflake<Guild>: Task<Void, any Error>]>([:])

    /// Starts writing `guild`'s structure with `body`. The write is not tied to the caller's task: callers wait for it
    /// with ``stored(_:)`` (discovery does before it ends, so a failure is never lost), and a cancelled waiter
    /// cancels it.
    func start(_ guild: Snowflake<Guild>, _ body: @escaping @Sendable () async throws -> Void) {
        // An unstructured task by necessity: a channel's fetcher, a sibling of discovery in the account's task group,
        // waits for it too.
        let task = Task { try await body() }
        writes.withLock { $0[guild] = task }
    }

    /// Waits until `guild`'s structure is written (at once when none was started); throws what the write threw.
    func stored(_ guild: Snowflake<Guild>) async throws {
        guard let task = writes.withLock({ $0[guild] }) else { return }
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
