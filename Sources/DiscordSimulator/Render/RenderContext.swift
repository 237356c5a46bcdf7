import DiscordModels

/// What rendering needs: the world, who is asking (bot user id), the intents, the public base URL and the
/// CDN signer with the current time.
struct RenderContext: Sendable {
    let world: World
    let baseURL: String
    let signer: CDNSigner
    let nowSeconds: UInt64
    let viewerId: UInt64
    let messageContent: Bool

    var factory: MessageFactory { MessageFactory(world: world) }

    // MARK: Users

    func writeUser(_ user: SimUser, into w: inout JSONWriter) {
        w.beginObject()
        w.key("id")
        w.id(user.id)
        w.key("username")
        w.string(user.username)
        w.key("avatar")
        w.string(user.avatarHash)
        w.key("discriminator")
        w.string("0")
        w.key("public_flags")
        w.int(user.isBot ? 0 : (user.id % 5 == 0 ? 64 : 0))
        w.key("flags")
        w.int(user.isBot ? 0 : (user.id % 5 == 0 ? 64 : 0))
        if user.isBot {
            w.key("bot")
            w.bool(true)
        }
        w.key("banner")
        w.null()
        w.key("accent_color")
        w.null()
        w.key("global_name")
        w.string(user.globalName)
        w.key("avatar_decoration_data")
        w.null()
        w.key("collectibles")
        w.null()
        w.key("display_name_styles")
        w.null()
        w.key("banner_color")
        w.null()
        w.key("clan")
        w.null()
        w.key("primary_guild")
        w.null()
        w.endObject()
    }

    func writeUser(id: UInt64, into w: inout JSONWriter) {
        if let user = world.usersById[id] {
            writeUser(user, into: &w)
        } else {
            writeUser(
                SimUser(
                    id: id, username: "deleted_user_\(id % 10000)", globalName: nil, avatarHash: nil, isBot: false,
                    joinedMilliseconds: 0, roleIndices: []), into: &w)
        }
    }

    // MARK: Emoji

    func writeReactionEmoji(_ reaction: SimReaction, into w: inout JSONWriter) {
        w.beginObject()
        w.key("id")
        w.id(reaction.emojiId)
        w.key("name")
        w.string(reaction.emojiName)
        if reaction.emojiId != nil, reaction.animated {
            w.key("animated")
            w.bool(true)
        }
        w.endObject()
    }
}
