import DiscordModels
import Foundation

/// The reads a viewer needs: a channel's messages before or after a message, newest or oldest first, and a
/// structured full-text search with filters and cursor paging (`skald serve`).
///
/// ```swift
/// let page = try await store.messages(in: channel, before: nil, limit: 50, includeDeleted: false)
/// let hits = try await store.search(MessageSearch(words: ["zebra"]), before: nil, limit: 25)
/// ```
public protocol MessageBrowsing: Sendable {
    /// Up to `limit` messages of `channel` with ids below `before` (all when `nil`), newest first.
    func messages(in channel: Snowflake<Channel>, before: Snowflake<Message>?, limit: Int, includeDeleted: Bool)
        async throws -> [StoredMessage]

    /// Up to `limit` messages of `channel` with ids above `after` (from the first when `nil`), oldest first.
    func messages(in channel: Snowflake<Channel>, after: Snowflake<Message>?, limit: Int, includeDeleted: Bool)
        async throws -> [StoredMessage]

    /// Up to `limit` messages matching `search`, newest first, below the cursor `before` (a message id) when given.
    func search(_ search: MessageSearch, before: Snowflake<Message>?, limit: Int) async throws -> [StoredMessage]

    /// Up to `limit` messages matching `search`, most relevant to its words first (newest first among equals, and
    /// newest first when it has no words), skipping the first `offset`, each with its score (``Ranked``).
    func search(_ search: MessageSearch, rankedFrom offset: Int, limit: Int) async throws -> [Ranked<StoredMessage>]

    /// The `pinned_at` of the channel's pinned messages whose pin time is known (live capture reads it from the
    /// pins route: see ``ChannelPins``), as Discord wrote it.
    func pinTimes(in channel: Snowflake<Channel>) async throws -> [Snowflake<Message>: String]
}
