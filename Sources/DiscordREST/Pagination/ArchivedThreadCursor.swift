import DiscordModels
import Foundation

/// Where the next page of a public or private archived-thread list starts, as a pure value.
///
/// The lists run by `archive_timestamp`, newest first, and their `before` cursor is an exclusive ISO 8601 instant
/// (reference §3.1); nothing makes those instants unique, so paging from the last thread's instant would skip every
/// other thread archived in that same instant that the page had no room for. So each next page asks for the threads
/// archived up to and including the oldest instant seen (the cursor one microsecond later), and the threads already
/// listed are dropped. A page that brings no new thread (more threads share one instant than a page holds) moves on
/// with the exclusive cursor, so the listing always ends; the threads of that instant the page had no room for cannot
/// be listed by any documented route (the lists take no other cursor), so the cursor reports it
/// (``lastPageOverflowed``) for the archive to say so rather than lose them silently.
///
/// ```swift
/// var cursor = ArchivedThreadCursor()
/// repeat {
///     let page = fetch(before: cursor.before)
///     let fresh = cursor.advance(past: page.threads, hasMore: page.hasMore)
/// } while !cursor.isFinished
/// ```
public struct ArchivedThreadCursor: Sendable, Hashable {
    /// The `before` parameter of the next request (`nil`: the newest page).
    public private(set) var before: String?
    /// Whether the list is complete (`has_more` false, or no thread with an instant to page from).
    public private(set) var isFinished = false
    private var seen: Set<Snowflake<Channel>> = []
    /// Set when the last page held nothing new while more were said to follow: a page's worth of threads archived in
    /// one instant, and possibly more in that instant that no request can reach.
    public private(set) var lastPageOverflowed: SameInstantOverflow?

    /// A page full of threads archived in one instant, with more said to follow.
    public struct SameInstantOverflow: Sendable, Hashable {
        /// The instant, as Discord wrote it.
        public var instant: String
        /// The threads of that instant listed.
        public var listed: Int

        /// An overflow of `listed` threads at `instant`.
        public init(instant: String, listed: Int) {
            self.instant = instant
            self.listed = listed
        }
    }

    /// A cursor at the start of a list.
    public init() {}

    /// Takes in one page: returns its threads not listed before, in the page's order, and moves the cursor.
    public mutating func advance(past threads: [Decoded<Channel>], hasMore: Bool?) -> [Decoded<Channel>] {
        let fresh = threads.filter { seen.insert($0.value.id).inserted }
        lastPageOverflowed = nil
        let oldest = threads.compactMap { thread in
            thread.value.threadMetadata?.archiveTimestamp.flatMap { stamp in stamp.date.map { (stamp, $0) } }
        }.min { $0.1 < $1.1 }
        guard hasMore == true, !threads.isEmpty, let oldest else {
            isFinished = true
            return fresh
        }
        before = fresh.isEmpty ? oldest.0.rawValue : Self.justAfter(oldest.1)
        if fresh.isEmpty { lastPageOverflowed = SameInstantOverflow(instant: oldest.0.rawValue, listed: threads.count) }
        return fresh
    }

    /// `instant` plus one microsecond, in Discord's format: an exclusive cursor that still lets `instant` in.
    static func justAfter(_ instant: Date) -> String {
        // Whole microseconds first (a parsed instant is within 0.25 µs of them), then half a microsecond more, so
        // the formatter's rounding down lands on the next microsecond.
        let micros = (instant.timeIntervalSince1970 * 1_000_000).rounded()
        return DiscordTimestamp(date: Date(timeIntervalSince1970: (micros + 1.5) / 1_000_000)).rawValue
    }
}
