import ArchiveStore
import DiscordModels
import DiscordREST
import Foundation

extension ChannelArchiver {
    /// Re-reads the messages newer than `since` and compares them with the archive: new messages are added,
    /// edits add a revision (the store decides, from `edited_timestamp`), and archived messages Discord no longer
    /// returns get a tombstone.
    ///
    /// Deletions are inferred page by page: Discord answers `after=X` with the smallest ids above X, so an archived
    /// live message with an id in `(X, largest id of the page]` that the page lacks was deleted; on the last
    /// (short) page, every archived live message above X that it lacks was deleted.
    func recheck(_ plan: ChannelPlan, since: Date) async throws -> Outcome {
        var outcome = Outcome()
        var cursor = Snowflake<Message>(date: since)
        let limit = DiscordClient.messagePageLimit
        while true {
            let page = try await nextPage(of: plan, after: cursor, limit: limit, counting: &outcome)
            let isLast = page.count < limit
            let upper = isLast ? SegmentPlanner.tailHigh : page[page.count - 1].id
            let lower = Snowflake<Message>(cursor.rawValue + 1)
            if !page.isEmpty {
                let result = try await context.store.storeMessagePage(
                    MessagePage(channelId: plan.id, guildId: plan.guildId, messages: page))
                outcome.stored += page.count
                outcome.inserted += result.inserted
                outcome.edited += result.edited
            }
            if lower <= upper {
                let seen = Set(page.map(\.id))
                let archived = try await context.store.messages(in: plan.id, ids: lower...upper)
                let gone = archived.filter { $0.deletedAt == nil && !seen.contains($0.id) }.map(\.id)
                if !gone.isEmpty {
                    outcome.deleted += try await context.store.markMessagesDeleted(
                        gone, in: plan.id, at: context.now(), checkpoint: nil)
                }
            }
            if isLast { break }
            cursor = upper
        }
        var checkpoint = try await context.store.checkpoint(for: plan.id) ?? ChannelCheckpoint(channelId: plan.id)
        checkpoint.guildId = plan.guildId
        checkpoint.lastRecheckAt = context.now()
        try await context.store.saveCheckpoint(checkpoint)
        return outcome
    }
}
