import DiscordModels
import Foundation

extension DiscordClient {
    /// `GET /channels/{channel_id}`.
    public func channel(_ id: Snowflake<Channel>) async throws -> Decoded<Channel> {
        try await object(.channel(id, .get, ""))
    }

    /// `GET /channels/{channel_id}/messages/pins`, every page (most recently pinned first, ISO `before` cursor).
    public func pins(in channel: Snowflake<Channel>, pageSize: Int = 50) -> PageSequence<PinPage> {
        let limit = min(max(pageSize, 1), 50)
        return .cursor(start: String?.none) { cursor in
            var route = Route.channel(channel, .get, "/messages/pins", object: "pins of channel \(channel)")
            route.add("before", cursor)
            route.add("limit", limit)
            let page = try await self.send(route) { try PinPage(decoding: $0.body, using: self.decoder) }
            let next: String?? = page.hasMore ? page.items.last.map { .some($0.value.pinnedAt.rawValue) } : nil
            return (page, page.items.isEmpty, next)
        }
    }

    /// The two reaction lists Discord keeps per emoji.
    public enum ReactionType: Int, Sendable {
        /// Ordinary reactions (`type=0`).
        case normal = 0
        /// Super reactions (`type=1`).
        case burst = 1
    }

    /// `GET /channels/{channel_id}/messages/{message_id}/reactions/{emoji}`, every page (ascending by user id).
    /// - Parameter emoji: a Unicode emoji (`🔥`, percent-encoded here) or a custom emoji as `name:id`.
    public func reactionUsers(
        _ emoji: String, on message: Snowflake<Message>, in channel: Snowflake<Channel>,
        type: ReactionType = .normal, pageSize: Int = 100
    ) -> PageSequence<[Decoded<User>]> {
        let limit = min(max(pageSize, 1), 100)
        let segment = Route.encodeSegment(emoji)
        return .cursor(start: Snowflake<User>(0)) { cursor in
            var route = Route.channel(
                channel, .get, "/messages/\(message)/reactions/\(segment)",
                template: "/messages/{message_id}/reactions/{emoji}",
                object: "reactions \(emoji) on message \(message) in channel \(channel)")
            route.add("type", type.rawValue)
            route.add("after", cursor)
            route.add("limit", limit)
            let page: [Decoded<User>] = try await self.array(route)
            return (page, page.isEmpty, page.count < limit ? nil : page.map(\.value.id).max())
        }
    }

    /// `GET /channels/{channel_id}/threads/archived/public`, every page (archive time descending), each thread once
    /// (``ArchivedThreadCursor``: threads archived in one instant across a page boundary are not skipped).
    public func publicArchivedThreads(in channel: Snowflake<Channel>, pageSize: Int = 100) -> PageSequence<ThreadPage> {
        archivedThreads(in: channel, suffix: "/threads/archived/public", pageSize: pageSize)
    }

    /// `GET /channels/{channel_id}/threads/archived/private`, every page; needs MANAGE_THREADS.
    public func privateArchivedThreads(in channel: Snowflake<Channel>, pageSize: Int = 100) -> PageSequence<ThreadPage>
    {
        archivedThreads(in: channel, suffix: "/threads/archived/private", pageSize: pageSize)
    }

    /// `GET /channels/{channel_id}/users/@me/threads/archived/private`, every page (id descending, snowflake
    /// cursor): the private archived threads the bot joined.
    public func joinedPrivateArchivedThreads(in channel: Snowflake<Channel>, pageSize: Int = 100)
        -> PageSequence<ThreadPage>
    {
        let limit = min(max(pageSize, 2), 100)
        return .cursor(start: Snowflake<Channel>?.none) { cursor in
            var route = Route.channel(
                channel, .get, "/users/@me/threads/archived/private",
                object: "joined private threads of channel \(channel)")
            route.add("before", cursor)
            route.add("limit", limit)
            let page = try await self.send(route) { try ThreadPage(decoding: $0.body, using: self.decoder) }
            let last = page.threads.map(\.value.id).min()
            let next: Snowflake<Channel>?? = page.hasMore == true ? last.map { .some($0) } : nil
            return (page, page.threads.isEmpty, next)
        }
    }

    private func archivedThreads(in channel: Snowflake<Channel>, suffix: String, pageSize: Int)
        -> PageSequence<ThreadPage>
    {
        let limit = min(max(pageSize, 2), 100)
        return .cursor(start: ArchivedThreadCursor()) { cursor in
            var route = Route.channel(channel, .get, suffix, object: "archived threads of channel \(channel)")
            route.add("before", cursor.before)
            route.add("limit", limit)
            var page = try await self.send(route) { try ThreadPage(decoding: $0.body, using: self.decoder) }
            let wasEmpty = page.threads.isEmpty
            var next = cursor
            page.threads = next.advance(past: page.threads, hasMore: page.hasMore)
            page.sameInstantOverflow = next.lastPageOverflowed
            return (page, wasEmpty, next.isFinished ? nil : next)
        }
    }
}
