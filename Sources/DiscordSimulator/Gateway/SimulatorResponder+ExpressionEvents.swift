import DiscordModels

/// GUILD_EMOJIS_UPDATE and GUILD_STICKERS_UPDATE (GUILD_EXPRESSIONS intent): the guild's **full** list after a
/// change (reference §7: replace, do not merge), each bot seeing the creators only with CREATE_ or
/// MANAGE_GUILD_EXPRESSIONS, as on REST.
extension SimulatorResponder {
    /// GUILD_EMOJIS_UPDATE `{guild_id, emojis}`.
    func emitEmojisUpdate(guildIndex: Int, baseURL: String) async {
        let guild = world.guilds[guildIndex]
        let emojis = await state.emojis(guildIndex)
        let responder = self
        await dispatchToGuild(
            "GUILD_EMOJIS_UPDATE", guildIndex: guildIndex, intents: GatewayIntent.guildExpressions, baseURL: baseURL
        ) { context in
            let includeUser = responder.seesExpressionCreators(context.viewerId, guildIndex: guildIndex)
            var w = JSONWriter(capacity: 256 + 256 * emojis.count)
            w.beginObject()
            w.key("guild_id")
            w.id(guild.id)
            w.key("emojis")
            w.beginArray()
            for emoji in emojis { context.writeEmoji(emoji, includeUser: includeUser, into: &w) }
            w.endArray()
            w.endObject()
            return w.bytes
        }
    }

    /// GUILD_STICKERS_UPDATE `{guild_id, stickers}`.
    func emitStickersUpdate(guildIndex: Int, baseURL: String) async {
        let guild = world.guilds[guildIndex]
        let stickers = await state.stickers(guildIndex)
        let responder = self
        await dispatchToGuild(
            "GUILD_STICKERS_UPDATE", guildIndex: guildIndex, intents: GatewayIntent.guildExpressions, baseURL: baseURL
        ) { context in
            let includeUser = responder.seesExpressionCreators(context.viewerId, guildIndex: guildIndex)
            var w = JSONWriter(capacity: 256 + 384 * stickers.count)
            w.beginObject()
            w.key("guild_id")
            w.id(guild.id)
            w.key("stickers")
            w.beginArray()
            for sticker in stickers { context.writeSticker(sticker, guild: guild, includeUser: includeUser, into: &w) }
            w.endArray()
            w.endObject()
            return w.bytes
        }
    }
}
