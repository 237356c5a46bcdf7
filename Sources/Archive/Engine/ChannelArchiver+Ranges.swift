import ArchiveStore
import DiscordModels
import DiscordREST
import Foundation

// Workers share a channel by its ranges (`skald archive --worker`): one worker plans the ranges under the channel's
// lease, every worker then fetches the bounded ranges it can lease, and the tail (the newest messages, which moves
// the checkpoint) is fetched last, under the channel's lease again. See ArchiveEngine+Leases.swift.
extension ChannelArchiver {
    /// A channel's ranges as planned (or resumed) for workers.
    struct RangePlan: Sendable {
        /// Every segment: bounded ranges and the tail (the one whose `high` is ``SegmentPlanner/tailHigh``).
        var segments: [ChannelSegment]
        /// The oldest page, fetched to decide how many ranges a new channel gets, not yet stored: it belongs to the
        /// segment starting at ``firstPageLow``.
        var firstPage: [IndexedMessage]?
        var firstPageLow: Snowflake<Message>?
        /// The requests made while planning.
        var outcome = Outcome()
        /// Nothing to fetch: the archive has everything up to Discord's last message.
        var upToDate = false

        /// The bounded ranges not yet done.
        var pendingRanges: [ChannelSegment] {
            segments.filter { $0.high != SegmentPlanner.tailHigh && !$0.done }
        }
    }

    /// Plans `plan`'s channel into ranges for `tokens` workers (a new channel: as many as keep each token's bucket
    /// full, at most `parts` each, judged from its oldest page, with a separate tail; see
    /// ``sizeNewChannel(_:parts:tokens:counting:)``) or resumes the ranges stored by earlier runs or another worker.
    /// Run under the channel's lease.
    func planRanges(_ plan: ChannelPlan, parts: Int, tokens: Int) async throws -> RangePlan {
        let existing = SegmentPlanner.stored(try await context.store.segments(of: plan.id))
        var parts = parts
        var result = RangePlan(segments: existing)
        if existing.isEmpty,
            let sized = try await sizeNewChannel(
                plan, parts: parts, tokens: tokens, counting: &result.outcome)
        {
            result.firstPage = sized.page
            parts = sized.ranges
        }
        let segments = SegmentPlanner.plan(
            channel: plan.id, existing: existing, floor: floor, lastMessageId: plan.channel.lastMessageId,
            parts: parts, separateTail: true)
        result.segments = segments
        result.firstPageLow = result.firstPage == nil ? nil : segments.first?.low
        let tail = segments.first { $0.high == SegmentPlanner.tailHigh }
        var tailCursor = tail?.cursor
        if tailCursor == nil { tailCursor = try await context.store.checkpoint(for: plan.id)?.newestArchivedId }
        if !existing.isEmpty, result.pendingRanges.isEmpty, let cursor = tailCursor,
            let last = plan.channel.lastMessageId, last <= cursor
        {
            result.upToDate = true
            return result
        }
        if existing.isEmpty || segments.count != existing.count {
            // After the guild's structure (written while the oldest page was requested).
            try await context.structure.stored(plan.guildId)
            try await context.store.saveSegments(segments)
        }
        return result
    }

    /// Fetches the tail (from where the archive stands now), then marks the channel's backfill complete. Run under
    /// the channel's lease, once every bounded range is done. A tail whose cursor reached `fetchedUpTo` already (the
    /// last message discovery saw; a worker fetched it beside the ranges) is not asked again.
    func finishRanges(
        _ plan: ChannelPlan, firstPage: [IndexedMessage]?, fetchedUpTo: Snowflake<Message>? = nil
    ) async throws -> Outcome {
        let segments = SegmentPlanner.stored(try await context.store.segments(of: plan.id))
        let previous = try await context.store.checkpoint(for: plan.id)
        var outcome = Outcome()
        if let tail = segments.first(where: { $0.high == SegmentPlanner.tailHigh }),
            firstPage != nil || fetchedUpTo == nil || tail.cursor.map({ $0 < fetchedUpTo! }) ?? true
        {
            outcome = try await fetch(tail, of: plan, previous: previous, firstPage: firstPage)
        }
        try await markBackfillComplete(plan)
        return outcome
    }
}
