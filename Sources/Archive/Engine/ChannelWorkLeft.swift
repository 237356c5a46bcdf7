import DiscordModels
import Synchronization

/// The pages a channel still has to fetch, summed over its ranges: what its message requests tell the rate limiter
/// (``RequestPriority/workLeft``), so that when one limit binds across channels (an unannounced per-token limit) its
/// slots go to the channel with the most left and the channels finish together.
///
/// Each range estimates its own rest from the ids it has seen: snowflakes grow with time, so the id span from its
/// cursor to its end, at the density of the messages it fetched so far (messages per unit of id), is about the
/// messages left. A range that has fetched nothing yet has no estimate, and neither has its channel until every
/// range has one (those requests claim no slot and yield none).
final class ChannelWorkLeft: Sendable {
    /// Each range's pages left, by the range's `low`; `nil` until its first page.
    private let ranges = Mutex<[Snowflake<Message>: Int?]>([:])

    /// Creates an estimate for a channel whose ranges start at `lows`.
    init(ranges lows: [Snowflake<Message>] = []) {
        ranges.withLock { ranges in for low in lows { ranges[low] = .some(nil) } }
    }

    /// The channel's pages left (this range's next request included), or `nil` while some range has no estimate.
    var total: Int? {
        ranges.withLock { ranges -> Int? in
            var sum = 0
            for left in ranges.values {
                guard let left else { return nil }
                sum += left
            }
            return ranges.isEmpty ? nil : sum
        }
    }

    /// Whether every range of the channel has fetched all it had (each reported nothing left): the range that
    /// ends last finishes the channel, and what it waits for is worth committing at once.
    var everyRangeDone: Bool {
        ranges.withLock { ranges in ranges.values.allSatisfy { $0 == .some(0) } }
    }

    /// Records the rest of the range starting at `low`: `fetched` messages from `firstId` up to `cursor`, the range
    /// ending at `end` (`nil`: unknown end, no estimate); `done`, nothing left.
    func update(
        range low: Snowflake<Message>, firstId: Snowflake<Message>?, cursor: Snowflake<Message>, fetched: Int,
        end: Snowflake<Message>?, pageLimit: Int, done: Bool
    ) {
        var left: Int? = 0
        if !done {
            left = Self.pagesLeft(firstId: firstId, cursor: cursor, fetched: fetched, end: end, pageLimit: pageLimit)
        }
        ranges.withLock { $0[low] = .some(left) }
    }

    /// Pages left from `cursor` to `end` at the density of `fetched` messages between `firstId` and `cursor` (at
    /// least one while anything of the range is left), or `nil` when that cannot be told.
    static func pagesLeft(
        firstId: Snowflake<Message>?, cursor: Snowflake<Message>, fetched: Int, end: Snowflake<Message>?,
        pageLimit: Int
    ) -> Int? {
        guard let firstId, let end, fetched >= 2, cursor > firstId else { return nil }
        guard end > cursor else { return 0 }
        let perId = Double(fetched - 1) / Double(cursor.rawValue - firstId.rawValue)
        let messages = Double(end.rawValue - cursor.rawValue) * perId
        return max(1, Int((messages / Double(max(1, pageLimit))).rounded(.up)))
    }
}
