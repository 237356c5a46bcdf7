import DiscordModels
import Foundation

/// One page of a thread list (active or archived): each thread and member keeps its exact JSON.
public struct ThreadPage: Sendable {
    /// The threads, in the order Discord sent them.
    public var threads: [Decoded<Channel>]
    /// Thread-member objects for the threads the bot joined.
    public var members: [Decoded<ThreadMember>]
    /// Whether more pages follow (`nil` for active threads, where Discord does not promise it).
    public var hasMore: Bool?
    /// The whole response body.
    public var json: Data
    /// Set on an archived-thread page full of threads of one instant with more said to follow: threads of that
    /// instant may be missing (``ArchivedThreadCursor``).
    public var sameInstantOverflow: ArchivedThreadCursor.SameInstantOverflow?

    /// Splits a `{threads, members, has_more}` body.
    init(decoding data: Data, using decoder: JSONDecoder) throws {
        let members = try JSONScanner.members(["threads", "members", "has_more"], in: data)
        threads = try members["threads"].map { try Decoded<Channel>.decodeArray($0, using: decoder) } ?? []
        self.members = try members["members"].map { try Decoded<ThreadMember>.decodeArray($0, using: decoder) } ?? []
        hasMore = try members["has_more"].map { try decoder.decode(Bool.self, from: $0) }
        json = data
    }
}
