import DiscordModels

/// A channel's messages in ascending id order, in batches, read lazily with an after-cursor so memory stays
/// constant however long the channel is.
///
/// ```swift
/// for try await batch in store.messageBatches(in: channel, batchSize: 500) {
///     for message in batch { try writer.write(message) }
/// }
/// ```
public struct MessageBatches: AsyncSequence, Sendable {
    /// The element type.
    public typealias Element = [StoredMessage]

    let store: any MessageStore
    let channel: Snowflake<Channel>
    let batchSize: Int
    let after: Snowflake<Message>?

    /// Reads the next batch after the last id of the previous one.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let store: any MessageStore
        let channel: Snowflake<Channel>
        let batchSize: Int
        var cursor: Snowflake<Message>?
        var finished = false

        /// The next batch, or `nil` after the last.
        public mutating func next() async throws -> [StoredMessage]? {
            guard !finished else { return nil }
            let batch = try await store.messages(in: channel, after: cursor, limit: batchSize)
            if batch.count < batchSize { finished = true }
            guard let last = batch.last else { return nil }
            cursor = last.id
            return batch
        }
    }

    /// The iterator that reads the sequence.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(store: store, channel: channel, batchSize: Swift.max(1, batchSize), cursor: after)
    }
}

extension MessageStore {
    /// The messages of `channel` in ascending id order, `batchSize` at a time, starting after `after`.
    public func messageBatches(
        in channel: Snowflake<Channel>, batchSize: Int = 500, after: Snowflake<Message>? = nil
    ) -> MessageBatches {
        MessageBatches(store: self, channel: channel, batchSize: batchSize, after: after)
    }

    /// The ids of a channel's messages, ascending, tombstoned ones included.
    public func messageIDs(in channel: Snowflake<Channel>) async throws -> [Snowflake<Message>] {
        try await messageIDs(in: channel, includeDeleted: true)
    }
}
