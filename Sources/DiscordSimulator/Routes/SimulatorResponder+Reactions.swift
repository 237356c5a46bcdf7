import DiscordModels
import Hummingbird

/// The `{emoji}` segment of the reaction routes: percent-encoded UTF-8 (🔥 → `%F0%9F%94%A5`) or a custom emoji as
/// `name:id` (discord-api.md §3.3); anything else is 10014 Unknown Emoji.
struct ReactionEmoji: Sendable {
    /// The decoded segment, as the client sent it.
    let text: String
    /// The emoji's name (a Unicode emoji, or the custom emoji's name).
    let name: String
    /// The custom emoji's id; nil for a Unicode emoji.
    let id: UInt64?

    /// Whether `reaction` is of this emoji (a custom emoji by id, a Unicode one by name).
    func matches(_ reaction: SimReaction) -> Bool {
        id.map { reaction.emojiId == $0 } ?? (reaction.emojiId == nil && reaction.emojiName == name)
    }
}

/// Create Reaction (discord-api.md §3.3; the spec's `add_my_message_reaction`).
extension SimulatorResponder {
    /// The route's `{emoji}` segment; an unencoded, empty, ASCII-only (not `name:id`) or malformed one is 10014.
    func reactionEmoji(_ api: APIRequest) throws -> ReactionEmoji {
        let raw = api.free.first ?? ""
        guard raw.utf8.allSatisfy({ $0 < 0x80 }), let emoji = CDNPaths.decode(raw), !emoji.isEmpty else {
            throw DiscordAPIError.unknownEmoji()
        }
        if let colon = emoji.lastIndex(of: ":") {
            guard let id = UInt64(emoji[emoji.index(after: colon)...]) else { throw DiscordAPIError.unknownEmoji() }
            return ReactionEmoji(text: emoji, name: String(emoji[..<colon]), id: id)
        }
        guard !emoji.allSatisfy({ $0.isASCII }) else { throw DiscordAPIError.unknownEmoji() }
        return ReactionEmoji(text: emoji, name: emoji, id: nil)
    }

    /// `PUT /channels/{c}/messages/{m}/reactions/{emoji}/@me` → 204. Discord's rules (message.mdx, Create
    /// Reaction): READ_MESSAGE_HISTORY always, and ADD_REACTIONS when nobody has reacted with that emoji yet (else
    /// 403 50013); an unknown message is 404 10008, an emoji that is not a Unicode emoji or a custom emoji Discord
    /// knows 400 10014. The reaction then shows in the message's `reactions` (`me: true` for this bot, counted as
    /// normal) and its users, and MESSAGE_REACTION_ADD goes out with the bot as `user_id`. Reacting again with the
    /// same emoji is idempotent: 204, nothing changes, no event.
    func addReaction(_ api: APIRequest) async throws -> Response {
        let view: ChannelView = try await viewableChannel(api)
        let granted = permissions(of: api.botId, in: view)
        guard granted.contains(.readMessageHistory) else { throw DiscordAPIError.missingPermissions() }
        guard api.ids.count > 1, let message = view.message(id: api.ids[1]) else {
            throw DiscordAPIError.unknownMessage()
        }
        let emoji = try reactionEmoji(api)
        var name = emoji.name
        var animated = false
        if let id = emoji.id {
            guard let custom = world.emojisById[id] else { throw DiscordAPIError.unknownEmoji() }
            name = custom.name
            animated = custom.animated
        }
        let someoneReacted = message.reactions.contains {
            emoji.matches($0) && $0.normal + $0.burst + $0.botReactors.count > 0
        }
        guard someoneReacted || granted.contains(.addReactions) else { throw DiscordAPIError.missingPermissions() }
        guard
            let added = await state.addBotReaction(
                channelId: view.channel.id, messageId: message.id, emojiName: name, emojiId: emoji.id,
                animated: animated, botId: api.botId)
        else { throw DiscordAPIError.unknownMessage() }
        if added {
            await emitReactionAdd(
                channel: view, messageId: message.id, emoji: name, emojiId: emoji.id, animated: animated,
                userId: api.botId, baseURL: api.baseURL)
        }
        return APIResponse.noContent()
    }
}
