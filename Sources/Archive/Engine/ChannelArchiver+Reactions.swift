import ArchiveStore
import DiscordModels
import DiscordREST
import Foundation

extension ChannelArchiver {
    /// Stores who reacted with each emoji on `messages` (`--reaction-users`): the normal list, and the burst
    /// (super-reaction) list when the message has burst reactions. Adding users is idempotent, so a repeated
    /// fetch stores nothing twice.
    /// - Returns: the number of requests sent.
    func archiveReactionUsers(of messages: [IndexedMessage], in plan: ChannelPlan) async throws -> Int {
        var requests = 0
        for message in messages {
            for reaction in message.reactions ?? [] {
                let name = reaction.emojiName
                let segment = reaction.emojiId.map { "\(name ?? "_"):\($0)" } ?? name ?? ""
                guard !segment.isEmpty else { continue }
                let key = StoredReaction.emojiKey(id: reaction.emojiId, name: name)
                var kinds: [DiscordClient.ReactionType] = []
                if (reaction.normalCount ?? reaction.count) > 0 { kinds.append(.normal) }
                if (reaction.burstCount ?? 0) > 0 { kinds.append(.burst) }
                for kind in kinds {
                    let pages = context.client.reactionUsers(segment, on: message.id, in: plan.id, type: kind)
                    for try await users in pages {
                        requests += 1
                        try await context.store.storeReactionUsers(
                            users, message: message.id, in: plan.id, emojiKey: key, burst: kind == .burst,
                            observedAt: context.now())
                    }
                }
            }
        }
        return requests
    }
}
