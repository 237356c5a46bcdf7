import DiscordModels
import Foundation

extension MessageStore {
    /// One ``reactions(of:in:)`` and ``reactionUserIDs(of:in:emojiKey:burst:)`` per message and emoji, for stores
    /// without a batched query.
    public func reactionUserIDs(of messages: [Snowflake<Message>], in channel: Snowflake<Channel>, burst: Bool)
        async throws -> [Snowflake<Message>: [String: [Snowflake<User>]]]
    {
        var found: [Snowflake<Message>: [String: [Snowflake<User>]]] = [:]
        for message in Set(messages) {
            for reaction in try await reactions(of: message, in: channel) {
                let users = try await reactionUserIDs(
                    of: message, in: channel, emojiKey: reaction.emojiKey, burst: burst)
                if !users.isEmpty { found[message, default: [:]][reaction.emojiKey] = users }
            }
        }
        return found
    }
}
