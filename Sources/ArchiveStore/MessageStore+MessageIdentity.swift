import DiscordModels
import Foundation

/// Look-ups by message id alone, for callers that know a message's id but not its channel. Each resolves the id
/// with ``MessageStore/message(_:)`` (the parent channel's message when a thread starter shares the id) and then
/// asks for that row. Prefer the `in channel:` forms whenever the channel is known.
extension MessageStore {
    /// Earlier versions of the message ``message(_:)`` returns for `message`, oldest first.
    public func revisions(of message: Snowflake<Message>) async throws -> [MessageRevision] {
        guard let stored = try await self.message(message) else { return [] }
        return try await revisions(of: message, in: stored.channelId)
    }

    /// The reactions of the message ``message(_:)`` returns for `message`, by emoji key.
    public func reactions(of message: Snowflake<Message>) async throws -> [StoredReaction] {
        guard let stored = try await self.message(message) else { return [] }
        return try await reactions(of: message, in: stored.channelId)
    }

    /// The reaction users of the message ``message(_:)`` returns for `message`, ascending.
    public func reactionUserIDs(of message: Snowflake<Message>, emojiKey: String, burst: Bool) async throws
        -> [Snowflake<User>]
    {
        guard let stored = try await self.message(message) else { return [] }
        return try await reactionUserIDs(of: message, in: stored.channelId, emojiKey: emojiKey, burst: burst)
    }

    /// The attachments of the message ``message(_:)`` returns for `message`, ascending by id.
    public func attachments(of message: Snowflake<Message>) async throws -> [StoredAttachment] {
        guard let stored = try await self.message(message) else { return [] }
        return try await attachments(of: message, in: stored.channelId)
    }

    /// Stores reaction users on the message ``message(_:)`` returns for `message`.
    /// - Throws: ``ArchiveStoreError/invalidPage(_:)`` when the archive does not have that message.
    public func storeReactionUsers(
        _ users: [Decoded<User>], message: Snowflake<Message>, emojiKey: String, burst: Bool, observedAt: Date
    ) async throws {
        guard let stored = try await self.message(message) else {
            throw ArchiveStoreError.invalidPage("reaction users of message \(message), which the archive does not have")
        }
        try await storeReactionUsers(
            users, message: message, in: stored.channelId, emojiKey: emojiKey, burst: burst, observedAt: observedAt)
    }
}
