import ArchiveStore
import DiscordModels
import DiscordREST
import Foundation

extension ChannelArchiver {
    /// What a recheck found.
    struct RecheckOutcome: Sendable {
        var fetched = 0
        var inserted = 0
        var edited = 0
        var deleted = 0
        var requests = 0
    }

    /// Re-reads the messages newer than `since` and compares them with the archive: new messages are added,
    /// edits add a revision (the store decides, from `edited_timestamp`), and archived messages Discord no longer
    /// returns get a tombstone.
    ///
    /// Deletions are inferred page by page: Discord answers `after=X` with the smallest ids above X, so an archived
    /// live message with an id in `(X, largest id of the page]` that the page lacks was deleted; on the last
    /// (short) page, every archived live message above X that it lacks was deleted.
    func recheck(_ plan: ChannelPlan, since: Date) async throws -> RecheckOutcome {
        var outcome = RecheckOutcome()
        var cursor = Snowflake<Message>(date: since)
        let limit = DiscordClient.messagePageLimit
        while true {
            try Task.checkCancellation()
            let page = try await client.messagePage(in: plan.id, after: cursor, limit: limit)
                .sorted { $0.value.id < $1.value.id }
            outcome.requests += 1
            let isLast = page.count < limit
            let upper = isLast ? SegmentPlanner.tailHigh : page[page.count - 1].value.id
            let lower = Snowflake<Message>(cursor.rawValue + 1)
            if !page.isEmpty {
                let result = try await store.storeMessagePage(
                    MessagePage(channelId: plan.id, guildId: plan.guildId, messages: page))
                outcome.fetched += page.count
                outcome.inserted += result.inserted
                outcome.edited += result.edited
            }
            if lower <= upper {
                let seen = Set(page.map(\.value.id))
                let archived = try await store.messages(in: plan.id, ids: lower...upper)
                let gone = archived.filter { $0.deletedAt == nil && !seen.contains($0.id) }.map(\.id)
                if !gone.isEmpty {
                    outcome.deleted += try await store.markMessagesDeleted(
                        gone, in: plan.id, at: now(), checkpoint: nil)
                }
            }
            if isLast { break }
            cursor = upper
        }
        var checkpoint = try await store.checkpoint(for: plan.id) ?? ChannelCheckpoint(channelId: plan.id)
        checkpoint.guildId = plan.guildId
        checkpoint.lastRecheckAt = now()
        try await store.saveCheckpoint(checkpoint)
        return outcome
    }
}
