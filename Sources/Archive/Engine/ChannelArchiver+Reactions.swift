import ArchiveStore
import DiscordModels
import DiscordREST
import Foundation

extension ChannelArchiver {
    /// Stores who reacted with each emoji on `messages` (`--reaction-users`): the normal list, and the burst
    /// (super-reaction) list when the message has burst reactions. Adding users is idempotent, so a repeated
    /// fetch stores nothing twice.
    /// - Returns: the number of requests sent.
    func archiveReactionUsers(of messages: [Decoded<Message>], in plan: ChannelPlan) async throws -> Int {
        var requests = 0
        for message in messages {
            for reaction in message.value.reactions ?? [] {
                let emoji = reaction.emoji
                let segment = emoji.id.map { "\(emoji.name ?? "_"):\($0)" } ?? emoji.name ?? ""
                guard !segment.isEmpty else { continue }
                let key = StoredReaction.emojiKey(emoji)
                var kinds: [DiscordClient.ReactionType] = []
                if (reaction.countDetails?.normal ?? reaction.count) > 0 { kinds.append(.normal) }
                if (reaction.countDetails?.burst ?? 0) > 0 { kinds.append(.burst) }
                for kind in kinds {
                    let pages = context.client.reactionUsers(segment, on: message.value.id, in: plan.id, type: kind)
                    for try await users in pages {
                        requests += 1
                        try await context.store.storeReactionUsers(
                            users, message: message.value.id, in: plan.id, emojiKey: key, burst: kind == .burst,
                            observedAt: context.now())
                    }
                }
            }
        }
        return requests
    }
}
