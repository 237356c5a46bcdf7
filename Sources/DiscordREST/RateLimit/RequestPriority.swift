/// What a caller tells the rate limiter about the requests it sends from the current task, without threading a
/// parameter through every client call.
///
/// ```swift
/// let page = try await RequestPriority.$workLeft.withValue(pagesLeft) {
///     try await client.indexedMessagePage(in: channel, after: cursor, limit: 100)
/// }
/// ```
public enum RequestPriority {
    /// The requests the caller still has to send on the route (its estimate, this one included), or `nil`: when a
    /// limit learned across the route's counters binds, its next slot goes to the counter with the most
    /// (``RouteSlotQueue``), so the channels behind one hidden limit finish together.
    @TaskLocal public static var workLeft: Int?
}
