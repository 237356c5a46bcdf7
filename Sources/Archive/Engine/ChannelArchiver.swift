import ArchiveStore
import DiscordModels
import DiscordREST
import Foundation
import Logging

/// Brings one channel or thread up to date: resumes or plans its segments, fetches each oldest → newest with
/// `after` cursors, and stores every page together with the segment (and checkpoint) it advances, in one
/// transaction. A crash between two pages loses nothing and repeats nothing but the page in flight.
struct ChannelArchiver: Sendable {
    let context: ArchiveContext
    let floor: Snowflake<Message>
    /// Also archive who reacted (`--reaction-users`).
    var reactionUsers = false

    /// What archiving (or rechecking) a channel did.
    struct Outcome: Sendable {
        /// Messages fetched and stored.
        var stored = 0
        var inserted = 0
        var edited = 0
        /// Archived messages found deleted (recheck).
        var deleted = 0
        var attachments = 0
        var requests = 0
        var skippedUpToDate = false

        mutating func add(_ other: Outcome) {
            stored += other.stored
            inserted += other.inserted
            edited += other.edited
            deleted += other.deleted
            attachments += other.attachments
            requests += other.requests
        }
    }

    /// The next page of `plan`'s channel after `cursor`, ascending by id (one request, counted in `outcome`).
    func nextPage(
        of plan: ChannelPlan, after cursor: Snowflake<Message>, limit: Int, counting outcome: inout Outcome
    ) async throws -> [IndexedMessage] {
        try Task.checkCancellation()
        var page = try await context.client.indexedMessagePage(in: plan.id, after: cursor, limit: limit)
        outcome.requests += 1
        // Discord gives a page newest first: reversing it in place is enough, unless it came out of order.
        if page.indices.dropFirst().allSatisfy({ page[$0 - 1].id > page[$0].id }) {
            page.reverse()
            return page
        }
        return page.sorted { $0.id < $1.id }
    }

    /// Fetches whatever the archive lacks of `plan`'s channel.
    /// - Parameter parts: how many ranges a channel seen for the first time may be split into.
    func archive(_ plan: ChannelPlan, parts: Int) async throws -> Outcome {
        let existing = SegmentPlanner.stored(try await context.store.segments(of: plan.id))
        let previous = try await context.store.checkpoint(for: plan.id)
        // A new channel that may be split: its oldest page goes first, and its density decides the ranges (a small
        // channel is never split into more ranges than it has pages). The page is then the first range's first.
        var parts = parts
        var firstPage: [IndexedMessage]?
        var probeOutcome = Outcome()
        if existing.isEmpty,
            let sized = try await sizeNewChannel(plan, parts: parts, tokens: 1, counting: &probeOutcome)
        {
            firstPage = sized.page
            parts = sized.ranges
        }
        let segments = SegmentPlanner.plan(
            channel: plan.id, existing: existing, floor: floor, lastMessageId: plan.channel.lastMessageId,
            parts: parts)
        let tail = segments.first { $0.high == SegmentPlanner.tailHigh }
        let bounded = segments.filter { $0.high != SegmentPlanner.tailHigh && !$0.done }

        // Up to date already: nothing pending below, and Discord's last message is at or below the high-water mark.
        if !existing.isEmpty, bounded.isEmpty, let tail, let cursor = tail.cursor ?? previous?.newestArchivedId,
            let last = plan.channel.lastMessageId, last <= cursor
        {
            return Outcome(skippedUpToDate: true)
        }
        // The plan is saved once the guild's structure is in, while the first requests go out; every page of the
        // channel commits after it (a rerun after a crash finds the whole plan or none of it).
        var segmentsSaved: Task<Void, any Error>?
        if existing.isEmpty || segments.count != existing.count {
            let (store, structure, guild) = (context.store, context.structure, plan.guildId)
            segmentsSaved = Task {
                try await structure.stored(guild)
                try await store.saveSegments(segments)
            }
        }
        let saved = segmentsSaved

        context.observer.archive(.channelStarted(guild: plan.guildId, channel: plan.id, label: plan.label))
        var outcome = probeOutcome
        try await withThrowingTaskGroup(of: Outcome.self) { group in
            // Every range runs at once; only the tail writes the checkpoint, so they never race on it.
            // The prefetched oldest page belongs to the lowest range (its cursor is that range's start).
            let lowest = segments.first?.low
            // The channel's pages left, over all its ranges (see ``ChannelWorkLeft``).
            let workLeft = ChannelWorkLeft(ranges: bounded.map(\.low) + (tail.map { [$0.low] } ?? []))
            for segment in bounded {
                let page = segment.low == lowest ? firstPage : nil
                group.addTask {
                    try await fetch(
                        segment, of: plan, previous: nil, firstPage: page, committingAfter: saved, workLeft: workLeft)
                }
            }
            if let tail {
                let page = tail.low == lowest ? firstPage : nil
                group.addTask {
                    try await fetch(
                        tail, of: plan, previous: previous, firstPage: page, committingAfter: saved,
                        workLeft: workLeft)
                }
            }
            for try await part in group { outcome.add(part) }
        }
        try await saved?.value
        try await markBackfillComplete(plan)
        context.observer.archive(.channelFinished(channel: plan.id, messagesStored: outcome.stored))
        return outcome
    }

    /// A new channel's oldest page, and how many ranges the channel is planned into (see
    /// ``SegmentPlanner/newChannelRanges(firstPage:pageLimit:lastMessageId:parts:bucket:tokens:)``, judged from
    /// the page's answer and round trip, the limiter's waits excluded: a page held back by the global limit says
    /// nothing of latency); `nil`, without a request, when the channel is not to be split (`parts` of 1, nothing
    /// above the floor). The single process and workers (`tokens`: how many tokens share the channel) plan the same
    /// way; the page is the first range's first.
    func sizeNewChannel(
        _ plan: ChannelPlan, parts: Int, tokens: Int, counting outcome: inout Outcome
    ) async throws -> (page: [IndexedMessage], ranges: Int, perToken: Int)? {
        guard parts > 1, let last = plan.channel.lastMessageId, last.rawValue > floor.rawValue else { return nil }
        let cursor = SegmentPlanner.startCursor(of: ChannelSegment(channelId: plan.id, low: floor, high: last))
        let page = try await nextPage(
            of: plan, after: cursor, limit: DiscordClient.messagePageLimit, counting: &outcome)
        let bucket = await context.client.messageBucket(in: plan.id).map {
            SegmentPlanner.Bucket(ceiling: $0.ceiling, window: $0.window, roundTrip: $0.roundTrip)
        }
        let sized = SegmentPlanner.newChannelRanges(
            firstPage: page.map(\.id), pageLimit: DiscordClient.messagePageLimit, lastMessageId: last, parts: parts,
            bucket: bucket, tokens: tokens)
        return (page, sized.ranges, sized.perToken)
    }

    /// Records that `plan`'s channel holds everything up to its newest message, once the guild's structure is in.
    func markBackfillComplete(_ plan: ChannelPlan) async throws {
        try await context.structure.stored(plan.guildId)
        var checkpoint = try await context.store.checkpoint(for: plan.id) ?? ChannelCheckpoint(channelId: plan.id)
        checkpoint.guildId = plan.guildId
        checkpoint.backfillComplete = true
        checkpoint.lastSyncAt = context.now()
        try await context.store.saveCheckpoint(checkpoint)
    }

    /// Fetches one segment to its end (or, for the tail, to the newest message), as a fetcher of the page writer:
    /// its pages commit in groups with those of the other segments and channels.
    /// `currentHigh` (workers) tells, before each request of a bounded range, where the range ends now: another
    /// worker may have split its rest and taken the newer part (see ``SegmentPlanner/splitPoint(of:messagesPerId:pageLimit:)``).
    /// No page commits before the guild's structure (``StructureWrites``) and `committingAfter` (the channel's plan
    /// being saved); the requests do not wait for either.
    func fetch(
        _ start: ChannelSegment, of plan: ChannelPlan, previous: ChannelCheckpoint?,
        firstPage: [IndexedMessage]? = nil,
        currentHigh: (@Sendable () async throws -> Snowflake<Message>?)? = nil,
        committingAfter prerequisite: Task<Void, any Error>? = nil, workLeft: ChannelWorkLeft? = nil
    ) async throws -> Outcome {
        try await context.pages.producing {
            try await fetchPages(
                start, of: plan, previous: previous, firstPage: firstPage, currentHigh: currentHigh,
                prerequisite: prerequisite, workLeft: workLeft ?? ChannelWorkLeft(ranges: [start.low]))
        }
    }

    private func fetchPages(
        _ start: ChannelSegment, of plan: ChannelPlan, previous: ChannelCheckpoint?, firstPage: [IndexedMessage]?,
        currentHigh: (@Sendable () async throws -> Snowflake<Message>?)?, prerequisite: Task<Void, any Error>?,
        workLeft: ChannelWorkLeft
    ) async throws -> Outcome {
        let (pages, structure, guild) = (context.pages, context.structure, plan.guildId)
        let lane = await pages.newLane()
        /// A page given to the writer: at once, or by a task that waits for what the page depends on.
        enum HandOver {
            case waiting(Task<PageGroupWriter.Ticket, any Error>)
            case handed(PageGroupWriter.Ticket)

            var ticket: PageGroupWriter.Ticket {
                get async throws {
                    switch self {
                    case .waiting(let task): try await task.value
                    case .handed(let ticket): ticket
                    }
                }
            }
        }
        // Hands a page to the writer once what it depends on is stored (at once, after the first), after the
        // range's page before it: the pages of a range enter the writer, and commit, in order. Until one of its
        // pages is in the writer, a task per page waits for that (the fetcher goes on fetching); after, what a page
        // depends on is stored, and the fetcher hands its pages over itself (no task, no hop through the structure
        // writer per page).
        var lastHandOver: Task<PageGroupWriter.Ticket, any Error>?
        var dependenciesStored = false
        func handOver(_ page: MessagePage) async throws -> HandOver {
            if dependenciesStored {
                // The tasks of the pages before, all past their waits: they are in the writer, or about to be.
                if let last = lastHandOver {
                    _ = try await last.value
                    lastHandOver = nil
                }
                return .handed(await pages.handOver(page, in: lane))
            }
            let previous = lastHandOver
            let task = Task { @Sendable in
                _ = try await previous?.value
                try await prerequisite?.value
                try await structure.stored(guild)
                return await pages.handOver(page, in: lane)
            }
            lastHandOver = task
            return .waiting(task)
        }
        var prefetched = firstPage
        var segment = start
        let isTail = segment.high == SegmentPlanner.tailHigh
        var checkpoint = previous ?? ChannelCheckpoint(channelId: plan.id, guildId: plan.guildId)
        var outcome = Outcome()
        var cursor = SegmentPlanner.startCursor(of: segment)
        let limit = DiscordClient.messagePageLimit
        // What the range has fetched, for the channel's estimate of the pages it has left.
        var firstFetchedId: Snowflake<Message>?
        var fetchedInRange = 0
        // The pages handed to the writer and not yet committed, oldest first. The next requests go out while they
        // commit (their cursors are known): on a rate-limited channel, a request that waited for a commit left the
        // bucket idle for as long, and a fetcher a few pages ahead of its commits lets a group gather more pages
        // (each commit rewrites the index leaves its pages touch: fewer, larger commits write fewer WAL frames per
        // message). At most ``PageGroupWriter/pagesAhead`` pages of a range are in the writer, in order; each
        // commit is awaited in order (its outcome counted, its error thrown) before the page after the last is
        // handed over once the range is that far ahead.
        var storing: [(ticket: HandOver, messages: [IndexedMessage])] = []
        // A worker's range may be split by another worker from its committed cursor (`currentHigh`): a fetcher
        // pages ahead of its commits would fetch what the other worker then takes, so a worker's range keeps one,
        // committed as soon as its fetcher waits for it (as before the fetchers worked ahead).
        let pagesAhead = currentHigh == nil ? PageGroupWriter.pagesAhead : 1
        func committedOldest(urgent: Bool = false) async throws {
            guard !storing.isEmpty else { return }
            let (handOver, inRange) = storing.removeFirst()
            let ticket = try await handOver.ticket
            dependenciesStored = true
            let result = try await pages.outcome(of: ticket, urgent: urgent)
            outcome.stored += inRange.count
            outcome.inserted += result.inserted
            outcome.edited += result.edited
            outcome.attachments += inRange.reduce(0) { $0 + $1.attachments.count }
            context.observer.archive(.pageStored(channel: plan.id, messages: inRange.count, inserted: result.inserted))
            if reactionUsers { outcome.requests += try await archiveReactionUsers(of: inRange, in: plan) }
        }
        // Every page handed over committed (`urgent`: at once, without waiting for other fetchers' pages to join
        // the group); the first error is thrown once all of them are done.
        func committed(urgent: Bool = true) async throws {
            var firstError: (any Error)?
            while !storing.isEmpty {
                do { try await committedOldest(urgent: urgent) } catch { firstError = firstError ?? error }
            }
            if let firstError { throw firstError }
        }
        while true {
            let page: [IndexedMessage]
            if let first = prefetched {
                page = first
                prefetched = nil
            } else {
                // A split shortens the range: it ends where the newer part begins (nothing left when the cursor is
                // just below it).
                if !isTail, let currentHigh, let high = try await currentHigh(), high < segment.high {
                    segment.high = high
                    if cursor.rawValue + 1 >= high.rawValue {
                        try await committed()
                        segment.done = true
                        let page = MessagePage(
                            channelId: plan.id, guildId: plan.guildId, messages: [IndexedMessage](), segment: segment)
                        storing.append((try await handOver(page), []))
                        try await committed()
                        return outcome
                    }
                }
                do {
                    // When one limit binds across channels, its slots go to the channel with the most left.
                    page = try await RequestPriority.$workLeft.withValue(workLeft.total) {
                        try await nextPage(of: plan, after: cursor, limit: limit, counting: &outcome)
                    }
                } catch {
                    // The page handed over before still commits (its own task); its error is not this one.
                    try? await committed()
                    throw error
                }
            }
            while storing.count >= pagesAhead {
                do { try await committedOldest(urgent: pagesAhead == 1) } catch {
                    try? await committed()
                    throw error
                }
            }
            // Most pages lie wholly inside the range: then the page itself, not a copy of its messages.
            let high = segment.high
            let inRange = page.allSatisfy { $0.id < high } ? page : page.filter { $0.id < high }
            // A range whose last message is the one just below its top has nothing more (ids are integers). The
            // tail ends once it holds the newest message Discord reported when the channel was discovered: the
            // backfill then has everything that existed when the run began, and asking whether anything newer
            // exists would cost a request, on a rate-limited channel often a whole window of its bucket for that
            // one request (what is newer comes with the next run, or with the gateway under `watch`).
            var holdsKnownLast = false
            if isTail, let known = plan.channel.lastMessageId, let newest = inRange.last?.id {
                holdsKnownLast = newest >= known
            }
            let reachedEnd =
                page.count < limit || inRange.count < page.count
                || inRange.last?.id.rawValue == segment.high.rawValue - 1 || holdsKnownLast
            if let last = inRange.last?.id { cursor = last }
            firstFetchedId = firstFetchedId ?? inRange.first?.id
            fetchedInRange += inRange.count
            workLeft.update(
                range: start.low, firstId: firstFetchedId, cursor: cursor, fetched: fetchedInRange,
                end: isTail ? plan.channel.lastMessageId : segment.high, pageLimit: limit, done: reachedEnd)
            segment.cursor = inRange.isEmpty ? segment.cursor : cursor
            if !isTail, reachedEnd { segment.done = true }
            // The tail's cursor is the high-water mark even when nothing new arrived, so the next run can tell
            // that the channel is up to date without asking Discord.
            if isTail, segment.cursor == nil { segment.cursor = cursor }
            var pageCheckpoint: ChannelCheckpoint?
            if isTail, let newest = inRange.last?.id {
                checkpoint.guildId = plan.guildId
                checkpoint.newestArchivedId = newest
                if checkpoint.oldestArchivedId == nil || inRange[0].id < checkpoint.oldestArchivedId! {
                    checkpoint.oldestArchivedId = inRange[0].id
                }
                checkpoint.lastSyncAt = context.now()
                pageCheckpoint = checkpoint
            }
            if !inRange.isEmpty || segment != start {
                let page = MessagePage(
                    channelId: plan.id, guildId: plan.guildId, messages: inRange, checkpoint: pageCheckpoint,
                    segment: segment)
                storing.append((try await handOver(page), inRange))
            }
            if reachedEnd {
                // A range that ends while other ranges of its channel still fetch frees nothing by committing at
                // once (the channel holds its place until its last range ends): its last pages wait for a full
                // group like any others. The channel's last range commits at once, so the next channel can start.
                try await committed(urgent: workLeft.everyRangeDone)
                return outcome
            }
        }
    }
}
