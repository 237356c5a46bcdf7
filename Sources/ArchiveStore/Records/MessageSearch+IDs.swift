import DiscordModels

extension MessageSearch {
    /// The message ids the search may find below `before` (and `maximumId`), from `minimumId`: `nil` when none.
    /// The stores read it as its column ranges (``Swift/ClosedRange/columnIDRanges()``), newest range first, so
    /// results come newest first in Discord's (unsigned) order.
    public func ids(before: Snowflake<Message>?) -> ClosedRange<Snowflake<Message>>? {
        let low = minimumId ?? Snowflake(0)
        let bound = [maximumId, before].compactMap { $0 }.min()
        guard let below = Snowflake.ids(before: bound), low <= below.upperBound else { return nil }
        return low...below.upperBound
    }

    /// Whether the search limits ids at all (a date, or a cursor `before`).
    public func limitsIDs(before: Snowflake<Message>?) -> Bool {
        minimumId != nil || maximumId != nil || before != nil
    }
}
