import ArchiveStore
import DiscordREST
import Foundation
import Logging

/// What the parts of one account's run share: its REST client, the archive, the observer, the logger and the
/// clock. Guild discovery and the channel archiver receive it instead of each holding copies.
struct ArchiveContext: Sendable {
    /// The account's REST client.
    let client: DiscordClient
    /// The archive.
    let store: any ArchiveStore
    /// Where progress goes.
    let observer: any ArchiveObserver
    /// Where diagnostics go.
    let logger: Logger
    /// The clock the run reads.
    let now: @Sendable () -> Date
    /// Where the fetchers hand their pages: several commit in one transaction.
    let pages: PageGroupWriter
    /// The guilds' structure writes: a channel's pages, segments and checkpoint commit after its guild's.
    let structure: StructureWrites
}
