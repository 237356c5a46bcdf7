import DiscordModels

/// GUILD_EMOJIS_UPDATE and GUILD_STICKERS_UPDATE (GUILD_EXPRESSIONS intent): the guild's **full** list after a
/// change (reference §7: replace, do not merge), each bot seeing the creators only with CREATE_ or
/// MANAGE_GUILD_EXPRESSIONS, as on REST.
extension SimulatorResponder {
    /// GUILD_EMOJIS_UPDATE `{guild_id, emojis}`.
    func emitEmojisUpdate(guildIndex: Int, baseURL: String) async {
        let emojis = await state.emojis(guildIndex)
        await emitExpressionsUpdate("GUILD_EMOJIS_UPDATE", list: "emojis", guildIndex: guildIndex, baseURL: baseURL) {
            context, includeUser, w in
            for emoji in emojis { context.writeEmoji(emoji, includeUser: includeUser, into: &w) }
        }
    }

    /// GUILD_STICKERS_UPDATE `{guild_id, stickers}`.
    func emitStickersUpdate(guildIndex: Int, baseURL: String) async {
        let guild = world.guilds[guildIndex]
        let stickers = await state.stickers(guildIndex)
        await emitExpressionsUpdate(
            "GUILD_STICKERS_UPDATE", list: "stickers", guildIndex: guildIndex, baseURL: baseURL
        ) { context, includeUser, w in
            for sticker in stickers { context.writeSticker(sticker, guild: guild, includeUser: includeUser, into: &w) }
        }
    }

    /// `{guild_id, <list>: [...]}` to every bot in the guild, the items written by `writeItems` (given whether the
    /// bot sees the creators).
    private func emitExpressionsUpdate(
        _ name: String, list: StaticString, guildIndex: Int, baseURL: String,
        writeItems: @escaping @Sendable (RenderContext, Bool, inout JSONWriter) -> Void
    ) async {
        let guild = world.guilds[guildIndex]
        let responder = self
        await dispatchToGuild(name, guildIndex: guildIndex, intents: GatewayIntent.guildExpressions, baseURL: baseURL) {
            context in
            Self.guildPayload(guild.id, list) { w in
                w.beginArray()
                writeItems(context, responder.seesExpressionCreators(context.viewerId, guildIndex: guildIndex), &w)
                w.endArray()
            }
        }
    }
}
