import ArchiveStore
import DiscordModels
import DiscordREST
import Foundation

// Several workers on one archive (`skald archive --worker`, added by the PostgreSQL helper). A channel is shared
// by its ranges, so two workers with two tokens (each token has its own per-channel bucket) fetch one deep channel
// twice as fast, and no page is fetched twice:
//  1. under the channel's lease, the first worker to come plans the ranges (a new channel's oldest page decides how
//     many) and stores them; a later worker finds them stored;
//  2. each worker fetches the bounded ranges it can lease, at most `parts` at once (its share of the channel), and
//     waits for ranges another worker holds (released, or expired when that worker died);
//  3. once every bounded range is done, under the channel's lease again, one worker fetches the tail (the newest
//     messages, which move the checkpoint), marks the backfill complete and rechecks; the others find it synced.
// A channel another worker synced during this run is not fetched again.
extension ArchiveEngine {
    /// Archives a channel, in leased ranges when ``ArchiveConfiguration/worker`` is set.
    func archiveChannelLeased(
        _ plan: ChannelPlan, archiver: ChannelArchiver, parts: Int, recheckSince: Date?
    ) async throws -> ChannelReport {
        guard let worker = configuration.worker else {
            return try await archiveChannel(plan, archiver: archiver, parts: parts, recheckSince: recheckSince)
        }
        // The store's own leases: in the database for PostgreSQL (shared by processes), in memory for SQLite.
        let leases: any ChannelLeasing = store
        let ttl = configuration.leaseTTL
        let timeline = WorkerTimeline()
        let channelReport = try await reportingFailures(of: plan) { report in
            // 1. Plan (or find) the ranges. Ranges another worker stored are taken as they are, without waiting
            // for the channel's lease (a worker waiting for another's plan looks for the stored ranges each time it
            // looks at the lease). A worker planning a new channel fetched its oldest page: it keeps the lease of
            // the range the page belongs to, or, when the channel is one range, finishes it at once.
            let storedRanges = { @Sendable () async throws -> (ChannelArchiver.RangePlan, finished: Bool)? in
                let stored = ChannelArchiver.RangePlan(
                    segments: SegmentPlanner.stored(try await store.segments(of: plan.id)))
                guard !stored.pendingRanges.isEmpty else { return nil }
                observer.archive(.channelStarted(guild: plan.guildId, channel: plan.id, label: plan.label))
                return (stored, false)
            }
            let planned: (ChannelArchiver.RangePlan, finished: Bool)?
            if let stored = try await wrapStorage(storedRanges) {
                planned = stored
            } else {
                planned = try await withChannelLease(
                    plan, worker: worker, timeline: timeline, orOnceReady: storedRanges
                ) {
                    var ranges = try await archiver.planRanges(plan, parts: parts, tokens: Self.sharingTokens)
                    report.outcome.add(ranges.outcome)
                    if ranges.upToDate {
                        report.outcome.skippedUpToDate = true
                        return (ranges, true)
                    }
                    observer.archive(.channelStarted(guild: plan.guildId, channel: plan.id, label: plan.label))
                    if ranges.pendingRanges.isEmpty {
                        report.outcome.add(try await archiver.finishRanges(plan, firstPage: ranges.firstPage))
                        try await recheck(plan, archiver: archiver, since: recheckSince, into: &report)
                        return (ranges, true)
                    }
                    if let low = ranges.firstPageLow,
                        try await !leases.acquireRangeLease(of: plan.id, from: low, worker: worker, ttl: ttl)
                    {
                        ranges.firstPage = nil
                        ranges.firstPageLow = nil
                    }
                    return (ranges, false)
                }
            }
            guard let (ranges, finished) = planned else { return }
            if finished {
                if !ranges.upToDate {
                    observer.archive(.channelFinished(channel: plan.id, messagesStored: report.outcome.stored))
                }
                return
            }
            // 2. The bounded ranges; the worker that planned them fetches the tail beside them (it is one request
            // when the ranges reach Discord's last message), so the channel's end waits for no further round trip.
            let plannedHere = ranges.firstPage != nil
            report.outcome.add(
                try await fetchLeasedRanges(
                    of: plan, archiver: archiver, worker: worker, width: rangeWidth(of: ranges, parts: parts),
                    held: ranges.firstPageLow,
                    firstPage: ranges.firstPage, withTail: plannedHere, timeline: timeline))
            // 3. The checkpoint and the recheck, by one worker (and the tail, unless it was fetched during this run
            // up to the last message discovery saw).
            _ = try await withChannelLease(plan, worker: worker, timeline: timeline) {
                report.outcome.add(
                    try await archiver.finishRanges(plan, firstPage: nil, fetchedUpTo: plan.channel.lastMessageId))
                try await recheck(plan, archiver: archiver, since: recheckSince, into: &report)
            }
            observer.archive(.channelFinished(channel: plan.id, messagesStored: report.outcome.stored))
        }
        logTimeline(timeline, requests: channelReport.outcome.requests, of: plan, worker: worker)
        return channelReport
    }

    /// How many workers a channel's plan is made for: a worker plans a new channel into twice the ranges that keep
    /// its own bucket full, so a second worker (another token, another bucket) finds half of them free.
    static let sharingTokens = 2

    /// How many of a channel's ranges a worker fetches at once: its share of the planned ranges (those that keep one
    /// token's bucket full), at most `parts`.
    func rangeWidth(of ranges: ChannelArchiver.RangePlan, parts: Int) -> Int {
        let planned = ranges.segments.filter { $0.high != SegmentPlanner.tailHigh }.count
        return SegmentPlanner.rangesPerToken(planned: planned, tokens: Self.sharingTokens, parts: parts)
    }

    private func recheck(
        _ plan: ChannelPlan, archiver: ChannelArchiver, since: Date?, into report: inout ChannelReport
    ) async throws {
        if let since { report.recheck = try await archiver.recheck(plan, since: since) }
    }

    /// Runs `body` holding the channel's lease (renewed while it runs), waiting for another worker's lease to be
    /// released or to expire. Returns `nil`, without running `body`, when another worker synced the channel during
    /// this run; returns what `ready` returns, without running `body`, when it returns something while waiting
    /// (what the lease's holder was making is there).
    private func withChannelLease<T: Sendable>(
        _ plan: ChannelPlan, worker: String, timeline: WorkerTimeline,
        orOnceReady ready: (@Sendable () async throws -> T?)? = nil, _ body: () async throws -> T
    ) async throws -> T? {
        let leases: any ChannelLeasing = store
        let ttl = configuration.leaseTTL
        var waited = false
        var poll = LeasePoll(ttl: ttl)
        while true {
            try Task.checkCancellation()
            if try await wrapStorage({ try await leases.acquireLease(of: plan.id, worker: worker, ttl: ttl) }) {
                // Another worker may have finished the channel while we waited, or before we came to it.
                if let checkpoint = try await wrapStorage({ try await store.checkpoint(for: plan.id) }),
                    checkpoint.backfillComplete, let synced = checkpoint.lastSyncAt, synced >= createdAt
                {
                    try? await leases.releaseLease(of: plan.id, worker: worker)
                    logger.debug(
                        "channel synced by another worker", metadata: ["channel": "\(plan.id)", "waited": "\(waited)"])
                    return nil
                }
                let result = try await whileRenewing(
                    "channel lease", of: plan,
                    renew: { try await leases.renewLease(of: plan.id, worker: worker, ttl: ttl) }, body)
                try? await leases.releaseLease(of: plan.id, worker: worker)
                return result
            }
            // Held by another worker (planning the channel takes it one request; the tail, a few): look again soon,
            // then less and less often.
            waited = true
            let delay = poll.delay()
            try await clock.sleep(for: delay)
            timeline.update { $0.channelLeaseWait += delay }
            if let ready, let result = try await wrapStorage(ready) { return result }
        }
    }

    /// Fetches the channel's bounded ranges this worker can lease, at most `width` at once, until every one is done
    /// (by this worker or another), and with `withTail` the tail beside them (leased like a range). `held` is a
    /// range whose lease this worker holds already, with the prefetched `firstPage` that starts it. The free ranges
    /// are leased at once (one look-up each, side by side), so a worker's ranges start together. A worker with a free slot and no free range splits the longest rest of a range in
    /// progress (another worker's or its own) and takes the newer part, so no token idles while the channel's last
    /// ranges end; the range's holder sees the split before its next request (see ``SegmentPlanner/clamped(_:)``).
    private func fetchLeasedRanges(
        of plan: ChannelPlan, archiver: ChannelArchiver, worker: String, width: Int, held: Snowflake<Message>?,
        firstPage: [IndexedMessage]?, withTail: Bool, timeline: WorkerTimeline
    ) async throws -> ChannelArchiver.Outcome {
        let leases: any ChannelLeasing = store
        let store = store
        let ttl = configuration.leaseTTL
        let now = now
        var outcome = ChannelArchiver.Outcome()
        var poll = LeasePoll(ttl: ttl)
        // The density of what this worker fetched (messages per snowflake unit): how long a range's rest is.
        var fetchedSpan = 0.0
        var fetchedMessages = 0
        var probed = false
        let segmentsNow = { @Sendable in
            SegmentPlanner.clamped(try await store.segments(of: plan.id))
        }
        // The ranges' look before each request, shared (see ``SharedSegmentsRead``).
        let shared = SharedSegmentsRead(segmentsNow)
        try await withThrowingTaskGroup(of: (ChannelSegment, ChannelArchiver.Outcome).self) { group in
            var running: Set<Snowflake<Message>> = []
            var held = held
            var firstPage = firstPage
            func start(_ segment: ChannelSegment, page: [IndexedMessage]?) {
                let low = segment.low
                let isTail = segment.high == SegmentPlanner.tailHigh
                running.insert(low)
                poll.reset()
                timeline.update {
                    $0.rangesTaken += isTail ? 0 : 1
                    if $0.firstRangeAt == nil { $0.firstRangeAt = now() }
                }
                group.addTask {
                    let part = try await whileRenewing(
                        "range lease", of: plan,
                        renew: {
                            try await leases.renewRangeLease(of: plan.id, from: low, worker: worker, ttl: ttl)
                        }
                    ) {
                        if isTail {
                            // The tail moves the checkpoint (no bounded range writes it).
                            let previous = try await store.checkpoint(for: plan.id)
                            return try await archiver.fetch(segment, of: plan, previous: previous)
                        }
                        return try await archiver.fetch(
                            segment, of: plan, previous: nil, firstPage: segment.cursor == nil ? page : nil,
                            currentHigh: { try await shared.segments().first { $0.low == low }?.high })
                    }
                    try? await leases.releaseRangeLease(of: plan.id, from: low, worker: worker)
                    return (segment, part)
                }
            }
            var tailPending = withTail
            while true {
                let segments = try await wrapStorage { try await segmentsNow() }
                let pending = segments.filter {
                    $0.high != SegmentPlanner.tailHigh && !$0.done && !running.contains($0.low)
                }
                if pending.isEmpty && running.isEmpty { return }
                if tailPending, let tail = segments.first(where: { $0.high == SegmentPlanner.tailHigh }) {
                    tailPending = false
                    if try await wrapStorage({
                        try await leases.acquireRangeLease(of: plan.id, from: tail.low, worker: worker, ttl: ttl)
                    }) {
                        start(tail, page: nil)
                    }
                }
                // Lease as many free ranges as this worker has room for, trying that many at once (those another
                // worker holds make room for the next ones); then read them again now that they are ours: another
                // worker may have advanced or finished them.
                var ours: [ChannelSegment] = []
                var candidates = pending[...]
                while !candidates.isEmpty, running.count + ours.count < max(1, width) {
                    let tried = candidates.prefix(max(1, width) - running.count - ours.count)
                    candidates = candidates.dropFirst(tried.count)
                    let acquired = try await acquireRangeLeases(
                        tried.map(\.low).filter { $0 != held }, of: plan, worker: worker)
                    ours += tried.filter { $0.low == held || acquired.contains($0.low) }
                }
                let current = ours.isEmpty ? [] : try await wrapStorage { try await segmentsNow() }
                for segment in ours {
                    let low = segment.low
                    let page = held == low ? firstPage : nil
                    if held == low {
                        held = nil
                        firstPage = nil
                    }
                    guard let now = current.first(where: { $0.low == low }), !now.done else {
                        try? await leases.releaseRangeLease(of: plan.id, from: low, worker: worker)
                        continue
                    }
                    start(now, page: page)
                }
                // Split only when this worker's ranges no longer fill its budget: each split costs about half a
                // page (the holder's last page runs past the split).
                // Without a density yet, a split fetches its first page to learn it: once per channel.
                if running.count < max(1, width / 2), fetchedSpan > 0 || !probed {
                    let density = fetchedSpan > 0 ? Double(fetchedMessages) / fetchedSpan : nil
                    probed = probed || density == nil
                    if let split = try await splitLongestRest(
                        of: plan, archiver: archiver, worker: worker, messagesPerId: density)
                    {
                        outcome.add(split.outcome)
                        fetchedSpan += split.learnedSpan
                        fetchedMessages += split.learnedMessages
                        if let segment = split.segment {
                            timeline.update { $0.rangesSplit += 1 }
                            start(segment, page: split.firstPage)
                            continue
                        }
                    }
                }
                if running.isEmpty {
                    // Every pending range is another worker's: wait for it to finish, release or lose it.
                    let delay = poll.delay()
                    try await clock.sleep(for: delay)
                    timeline.update { $0.rangeWait += delay }
                    continue
                }
                if let (segment, part) = try await group.next() {
                    running.remove(segment.low)
                    outcome.add(part)
                    // The range as fetched: up to where it ended (a split may have shortened it).
                    if segment.high != SegmentPlanner.tailHigh,
                        let end = try await wrapStorage({ try await segmentsNow() }).first(where: {
                            $0.low == segment.low
                        })?.high,
                        end > segment.low
                    {
                        fetchedSpan += Double(end.rawValue - segment.low.rawValue)
                        fetchedMessages += part.stored
                    }
                }
            }
        }
        return outcome
    }

    /// Takes the leases of the ranges of `plan`'s channel starting at `lows`, side by side; returns those taken.
    private func acquireRangeLeases(
        _ lows: [Snowflake<Message>], of plan: ChannelPlan, worker: String
    ) async throws -> Set<Snowflake<Message>> {
        let leases: any ChannelLeasing = store
        let ttl = configuration.leaseTTL
        return try await wrapStorage {
            try await withThrowingTaskGroup(of: Snowflake<Message>?.self) { group in
                for low in lows {
                    group.addTask {
                        try await leases.acquireRangeLease(of: plan.id, from: low, worker: worker, ttl: ttl) ? low : nil
                    }
                }
                var taken: Set<Snowflake<Message>> = []
                for try await low in group { if let low { taken.insert(low) } }
                return taken
            }
        }
    }

    /// A range split off another one for this worker (see ``splitLongestRest(of:archiver:worker:messagesPerId:)``).
    private struct Split: Sendable {
        /// The newer part of a range in progress, stored as a range of its own under this worker's lease; `nil` when
        /// the rest turned out too short to share.
        var segment: ChannelSegment?
        /// The part's first page, fetched to learn how dense the channel is (no range fetched yet).
        var firstPage: [IndexedMessage]?
        /// The request that page took.
        var outcome = ChannelArchiver.Outcome()
        /// What that page says of the channel's density: messages over a snowflake span.
        var learnedSpan = 0.0
        var learnedMessages = 0
    }

    /// Splits the longest rest of the channel's ranges in progress (another worker's or this one's) and takes its
    /// newer part for `worker`: stores it as a range of its own, under this worker's lease. With the channel's
    /// density known (`messagesPerId`, from ranges this worker fetched), the rest must be long enough
    /// (``SegmentPlanner/splitPoint(of:messagesPerId:pageLimit:)``); without it, the part's first page is fetched
    /// to learn it, and the split is kept only when the holder stays clear of it. `nil` when nothing was tried.
    private func splitLongestRest(
        of plan: ChannelPlan, archiver: ChannelArchiver, worker: String, messagesPerId: Double?
    ) async throws -> Split? {
        let leases: any ChannelLeasing = store
        let ttl = configuration.leaseTTL
        let limit = DiscordClient.messagePageLimit
        let segments = try await wrapStorage { SegmentPlanner.clamped(try await store.segments(of: plan.id)) }
        let rest = { (segment: ChannelSegment) -> UInt64 in
            let start = SegmentPlanner.startCursor(of: segment).rawValue + 1
            return segment.high.rawValue > start ? segment.high.rawValue - start : 0
        }
        let candidates = segments.filter { $0.high != SegmentPlanner.tailHigh && !$0.done && rest($0) > 1 }
        guard let longest = candidates.max(by: { rest($0) < rest($1) }) else { return nil }
        let mid: Snowflake<Message>
        if let messagesPerId {
            guard
                let point = SegmentPlanner.splitPoint(of: longest, messagesPerId: messagesPerId, pageLimit: limit)
            else { return nil }
            mid = point
        } else {
            mid = Snowflake(SegmentPlanner.startCursor(of: longest).rawValue + 1 + rest(longest) / 2)
        }
        guard
            try await wrapStorage({
                try await leases.acquireRangeLease(of: plan.id, from: mid, worker: worker, ttl: ttl)
            })
        else { return nil }
        var split = Split()
        if messagesPerId == nil {
            // The part's first page: its span says how many pages the holder has left before `mid`.
            let page = try await archiver.nextPage(
                of: plan, after: Snowflake(mid.rawValue - 1), limit: limit, counting: &split.outcome)
            split.firstPage = page
            if page.count >= limit, let last = page.last?.id, last > mid {
                split.learnedSpan = Double(last.rawValue - mid.rawValue + 1)
                split.learnedMessages = page.count
            }
            let holder = try await wrapStorage { SegmentPlanner.clamped(try await store.segments(of: plan.id)) }
                .first { $0.low == longest.low }
            let holderStart = holder.map { SegmentPlanner.startCursor(of: $0).rawValue + 1 } ?? UInt64.max
            let margin =
                split.learnedSpan > 0
                ? SegmentPlanner.splitMargin * Double(limit) * split.learnedSpan / Double(split.learnedMessages)
                : Double.infinity
            guard let holder, !holder.done, mid.rawValue > holderStart,
                Double(mid.rawValue - holderStart) >= margin
            else {
                // The holder is (or may soon be) past it: it fetches this part itself; the page only taught the density.
                try? await leases.releaseRangeLease(of: plan.id, from: mid, worker: worker)
                split.firstPage = nil
                return split
            }
        }
        let part = ChannelSegment(channelId: plan.id, low: mid, high: longest.high)
        try await wrapStorage { try await store.saveSegments([part]) }
        split.segment = part
        logger.debug(
            "range split",
            metadata: [
                "channel": "\(plan.id)", "worker": "\(worker)", "from": "\(longest.low)", "at": "\(part.low)",
                "to": "\(part.high)",
            ])
        return split
    }

    /// Logs (at `info`) where this worker spent its time on `plan`'s channel.
    private func logTimeline(_ timeline: WorkerTimeline, requests: Int, of plan: ChannelPlan, worker: String) {
        let figures = timeline.current
        let seconds = { (duration: Duration) in
            String(format: "%.3f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
        logger.info(
            "worker channel done",
            metadata: [
                "worker": "\(worker)", "channel": "\(plan.id)",
                "firstRangeAfter":
                    "\(figures.firstRangeAt.map { String(format: "%.3f", $0.timeIntervalSince(createdAt)) } ?? "-")",
                "doneAfter": "\(String(format: "%.3f", now().timeIntervalSince(createdAt)))",
                "ranges": "\(figures.rangesTaken)", "split": "\(figures.rangesSplit)", "requests": "\(requests)",
                "channelLeaseWait": "\(seconds(figures.channelLeaseWait))",
                "rangeWait": "\(seconds(figures.rangeWait))",
            ])
    }

    /// Runs `body` while a heartbeat renews a lease every third of its time to live. A lease lost (this process
    /// stalled longer than the lease) is logged and the work goes on, which is safe (pages are idempotent) but may
    /// repeat another worker's requests.
    private func whileRenewing<T: Sendable>(
        _ what: String, of plan: ChannelPlan, renew: @escaping @Sendable () async throws -> Bool,
        _ body: () async throws -> T
    ) async throws -> T {
        let ttl = configuration.leaseTTL
        let clock = clock
        let logger = logger
        let heartbeat = Task {
            while !Task.isCancelled {
                try await clock.sleep(for: ttl / 3)
                guard (try? await renew()) == true else {
                    logger.warning("\(what) lost", metadata: ["channel": "\(plan.id)"])
                    return
                }
            }
        }
        defer { heartbeat.cancel() }
        return try await body()
    }
}
