import ArchiveStore
import DiscordModels

/// Decides which snowflake ranges of a channel to fetch, so a channel's backfill can run as several ranges in
/// parallel and a rerun resumes each range where it stopped. Pure: no I/O.
///
/// Every channel ends up covered by bounded segments plus one open-ended *tail* segment (`high` =
/// ``tailHigh``) whose cursor is the channel's high-water mark: incremental sync is the tail catching up.
enum SegmentPlanner {
    /// The `high` of the open-ended tail segment: above every id the spec allows (ids are unsigned 64-bit; the
    /// stores keep the bit pattern, so the column holds -1).
    static let tailHigh = Snowflake<Message>(UInt64.max)

    /// The tail's `high` as runs before session 25 stored it (Int64.max): such a tail stopped below 2^63 and left
    /// every larger id out. Read as ``tailHigh`` (``stored(_:)``); the next page it stores rewrites it.
    static let legacyTailHigh = Snowflake<Message>(UInt64(Int64.max))

    /// A channel's segments as the store returns them, in ascending (unsigned) order of `low` (the stores sort
    /// signed), an old tail's `high` read as ``tailHigh``.
    static func stored(_ segments: [ChannelSegment]) -> [ChannelSegment] {
        segments.map { segment in
            var segment = segment
            if segment.high == legacyTailHigh { segment.high = tailHigh }
            return segment
        }.sorted { $0.low < $1.low }
    }

    /// The segments to use for a channel.
    ///
    /// - Parameters:
    ///   - existing: segments stored by earlier runs (resumed as they are).
    ///   - floor: the lowest id to archive (`0`, or the `--after` cursor + 1).
    ///   - channelId: messages of a channel are never older than the channel itself.
    ///   - lastMessageId: Discord's `last_message_id`, when known: the top of the range to split.
    ///   - parts: how many ranges to split a new channel's backfill into (1 = one tail segment only).
    ///   - separateTail: the bounded ranges cover everything up to `lastMessageId` and the tail starts above it
    ///     (workers: bounded ranges are leased one by one, the tail is fetched last under the channel's lease);
    ///     otherwise the last range is the tail itself.
    static func plan(
        channel channelId: Snowflake<Channel>, existing: [ChannelSegment], floor: Snowflake<Message>,
        lastMessageId: Snowflake<Message>?, parts: Int, separateTail: Bool = false
    ) -> [ChannelSegment] {
        if let lowest = existing.map(\.low).min() {
            var segments = clamped(existing)
            // An earlier run started later (--after): cover the gap below it too.
            if floor < lowest {
                segments.append(ChannelSegment(channelId: channelId, low: floor, high: lowest))
            }
            if !segments.contains(where: { $0.high == tailHigh }) {
                let top = segments.map(\.high).max() ?? floor
                segments.append(ChannelSegment(channelId: channelId, low: top, high: tailHigh))
            }
            return segments.sorted { $0.low < $1.low }
        }
        let start = max(floor.rawValue, channelId.rawValue)
        guard parts > 1, let last = lastMessageId, last.rawValue > start, last.rawValue - start >= UInt64(parts) else {
            return [ChannelSegment(channelId: channelId, low: floor, high: tailHigh)]
        }
        let top = last.rawValue + 1
        let width = (top - start) / UInt64(parts)
        var segments: [ChannelSegment] = []
        var low = floor
        for index in 1..<parts + (separateTail ? 1 : 0) {
            let high = Snowflake<Message>(index == parts ? top : start + width * UInt64(index))
            segments.append(ChannelSegment(channelId: channelId, low: low, high: high))
            low = high
        }
        // The last range is the tail itself: a separate tail starting at `last` would repeat the last range's final
        // request (`after=last`). A separate tail starts above `last` (a range reaching the top of its span stops
        // without that request; see ChannelArchiver.fetch).
        segments.append(ChannelSegment(channelId: channelId, low: low, high: tailHigh))
        return segments
    }

    /// How many ranges a new channel is worth, judged from its first (oldest) page: never more than the pages it
    /// has. A page shorter than `pageLimit` is the whole channel (one range); otherwise the id span of that page
    /// estimates how many more pages lie between it and `lastMessageId`.
    ///
    /// - Parameters:
    ///   - firstPage: the ids of the oldest page, ascending.
    ///   - pageLimit: the page size asked for.
    ///   - lastMessageId: Discord's `last_message_id`.
    ///   - parts: the most ranges wanted.
    static func rangeCount(
        firstPage: [Snowflake<Message>], pageLimit: Int, lastMessageId: Snowflake<Message>, parts: Int
    ) -> Int {
        guard parts > 1,
            let pages = estimatedPages(firstPage: firstPage, pageLimit: pageLimit, lastMessageId: lastMessageId)
        else { return 1 }
        return max(1, min(parts, pages))
    }

    /// How many pages a channel holds, judged from its first (oldest) page and `lastMessageId` (see
    /// ``rangeCount(firstPage:pageLimit:lastMessageId:parts:)``); `nil` when that page is the whole channel.
    static func estimatedPages(
        firstPage: [Snowflake<Message>], pageLimit: Int, lastMessageId: Snowflake<Message>
    ) -> Int? {
        guard firstPage.count >= pageLimit, let first = firstPage.first, let last = firstPage.last,
            last < lastMessageId
        else { return nil }
        let span = max(1, last.rawValue - first.rawValue)
        let gaps = Double(max(1, firstPage.count - 1))
        // Messages still to fetch at the first page's density, then pages (rounded up), the first page included.
        let remaining = Double(lastMessageId.rawValue - last.rawValue) / (Double(span) / gaps)
        return 1 + Int((remaining / Double(pageLimit)).rounded(.up))
    }

    /// How many ranges keep a rate-limited channel's bucket full. A range has one request in flight at a time, so
    /// a window of `ceiling` requests takes `ceiling / k` ranges when each range fits `k` requests into a window.
    /// Each request is given four round trips (the page's commit, a busy machine, an answer read late): on a
    /// window only a few round trips long (1 s at 250 ms) every range sends one request per window and the bucket
    /// takes `ceiling` ranges, which still fill it when the machine is slow (fewer, each sending two or three per
    /// window, left windows unfilled under load); on a long window (5 s at 40 ms) one range fills it. A range
    /// costs at most one extra request (its last page is partial), far less than an unfilled window.
    ///
    /// - Parameters:
    ///   - ceiling: the requests the bucket admits per window.
    ///   - window: the bucket's window.
    ///   - roundTrip: the time one request took, answer included.
    static func rangesToFill(ceiling: Int, window: Duration, roundTrip: Duration) -> Int {
        guard ceiling > 1 else { return 1 }
        let perRange = max(1, Int((window / max(roundTrip * 4, .milliseconds(1))).rounded(.down)))
        return max(1, (ceiling + perRange - 1) / perRange)
    }

    /// The most ranges a channel whose message bucket is unknown (no rate limits) is split into, per token.
    static let unlimitedRanges = 8

    /// What the limiter knew of a channel's message bucket once its oldest page was answered.
    struct Bucket: Sendable, Equatable {
        /// Requests admitted per window.
        var ceiling: Int
        var window: Duration
        /// The oldest page's round trip (`nil`: the limiter held it back, so it says nothing of the link).
        var roundTrip: Duration?
    }

    /// How many ranges a new channel is planned into, the one rule of the single process and of workers: each
    /// token fetching it gets as many ranges as keep its own bucket full (``rangesToFill(ceiling:window:roundTrip:)``,
    /// a few without a known bucket), at most `parts` (what the engine's budget allows one channel); `tokens`
    /// tokens (workers: each has its own per-channel bucket) get that many each, or down to four fifths of it when
    /// that costs fewer requests (``fewestRequests(pages:among:)``); and the channel never gets more ranges than it
    /// has pages (``rangeCount(firstPage:pageLimit:lastMessageId:parts:)``).
    ///
    /// - Returns: the ranges to plan, and how many of them one token fetches at once.
    static func newChannelRanges(
        firstPage: [Snowflake<Message>], pageLimit: Int, lastMessageId: Snowflake<Message>, parts: Int,
        bucket: Bucket?, tokens: Int
    ) -> (ranges: Int, perToken: Int) {
        let fill =
            bucket.flatMap { bucket in
                bucket.roundTrip.map {
                    rangesToFill(ceiling: bucket.ceiling, window: bucket.window, roundTrip: $0)
                }
            } ?? unlimitedRanges
        let perToken = max(1, min(parts, fill))
        var ranges = rangeCount(
            firstPage: firstPage, pageLimit: pageLimit, lastMessageId: lastMessageId,
            parts: perToken * max(1, tokens))
        if tokens > 1, ranges > 1,
            let pages = estimatedPages(firstPage: firstPage, pageLimit: pageLimit, lastMessageId: lastMessageId),
            pages > ranges
        {
            ranges = fewestRequests(pages: pages, among: (ranges * 4 + 4) / 5...ranges)
        }
        return (ranges, rangesPerToken(planned: ranges, tokens: tokens, parts: perToken))
    }

    /// Of `candidates` (how many ranges to split `pages` pages into), the one that costs the fewest requests,
    /// the most ranges among equals. A range of `n` pages' worth of messages costs `⌊n⌋ + 1` requests: its last
    /// page is partial (it ends on a message beyond the range), or, when its messages fill whole pages, a further
    /// request learns that nothing follows. Workers plan this way: each token's windows are
    /// `⌈requests / (tokens × ceiling)⌉`, so requests spared are slack for a window not filled (on the deep bucket
    /// 34 ranges of 5.9 pages cost 204 requests, 40 of 5 cost 240: 120 per token, six windows that must all be full).
    /// Down to four fifths of the ranges that fill every window, a window is still filled by a second request of a
    /// fifth of the ranges.
    static func fewestRequests(pages: Int, among candidates: ClosedRange<Int>) -> Int {
        let cost = { (ranges: Int) in ranges * (pages / max(1, ranges) + 1) }
        return candidates.reversed().min { cost($0) < cost($1) } ?? candidates.upperBound
    }

    /// How many ranges of a channel planned for several tokens one token fetches at once: its share of the planned
    /// ranges (`planned`, the bounded ones), at most `parts`.
    static func rangesPerToken(planned: Int, tokens: Int, parts: Int) -> Int {
        max(1, min(parts, (planned + max(1, tokens) - 1) / max(1, tokens)))
    }

    /// Segments as they stand once ranges were split (workers share a range's rest by splitting it, see
    /// ``splitPoint(of:messagesPerId:pageLimit:)``): sorted by `low`, each one ending where the next begins. A split
    /// stores the new range `[mid, high)` as a segment of its own and leaves the split one's stored `high` as it
    /// was until its holder sees the split, so the next segment's `low`, not the stored `high`, is where a range
    /// ends (a worker killed before it saw the split leaves the same rows, read the same way).
    static func clamped(_ segments: [ChannelSegment]) -> [ChannelSegment] {
        var sorted = stored(segments)
        for index in sorted.indices.dropLast() where sorted[index + 1].low < sorted[index].high {
            sorted[index].high = sorted[index + 1].low
        }
        return sorted
    }

    /// Where to split the rest of a bounded range another fetcher is working through, so an idle worker takes its
    /// newer part `[mid, high)` while the holder finishes `[start, mid)`; `nil` when the rest is too short to share.
    ///
    /// The holder may be up to two pages past what it stored (a page committing, the next one in flight) before it
    /// sees the split, so the holder keeps at least ``splitMargin`` pages and the rest must hold at least
    /// ``minimumSplitPages``, estimated at `messagesPerId` (messages per snowflake unit, from ranges already fetched).
    static func splitPoint(of segment: ChannelSegment, messagesPerId: Double, pageLimit: Int) -> Snowflake<Message>? {
        guard segment.high != tailHigh, !segment.done, messagesPerId > 0 else { return nil }
        let start = startCursor(of: segment).rawValue + 1
        guard segment.high.rawValue > start else { return nil }
        let span = Double(segment.high.rawValue - start)
        let pages = span * messagesPerId / Double(pageLimit)
        guard pages >= minimumSplitPages else { return nil }
        let kept = max(pages / 2, splitMargin)
        let mid = start + UInt64((kept / pages * span).rounded(.down))
        guard mid > start, mid < segment.high.rawValue else { return nil }
        return Snowflake(mid)
    }

    /// The fewest pages a range's rest must have to be split.
    static let minimumSplitPages = 4.0
    /// The fewest pages a split range's holder keeps (what it may have fetched before it sees the split, and some).
    static let splitMargin = 2.5

    /// The `after` cursor that starts (or resumes) a segment: ids are `>= low`, and `after` is exclusive.
    static func startCursor(of segment: ChannelSegment) -> Snowflake<Message> {
        segment.cursor ?? Snowflake(segment.low.rawValue == 0 ? 0 : segment.low.rawValue - 1)
    }
}
