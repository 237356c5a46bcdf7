import DiscordModels
import Foundation
import Hummingbird

extension SimulatorResponder {
    /// The guild a route is about (its `{guild.id}`, or the guild of its `{channel.id}`), if any.
    func routeGuildIndex(_ api: APIRequest) async -> Int? {
        guard let first = api.ids.first else { return nil }
        let template = api.route.rawValue
        if template.contains("{guild.id}") { return world.guildIndexById[first] }
        if template.contains("{channel.id}") { return await state.channel(first)?.guildIndex }
        return nil
    }

    /// `leaveGuild` / `joinGuild` of `/__sim/mutate`: `{"op": "leaveGuild", "guildId": G, "bot": 0}`. Leaving sends
    /// GUILD_DELETE (without `unavailable`) to that bot's sessions; joining sends GUILD_CREATE.
    func mutateMembership(_ object: [String: Any], join: Bool, baseURL: String) async throws -> Response {
        let guildId =
            (object["guildId"] as? String).flatMap { UInt64($0) } ?? (object["guildId"] as? Int).map { UInt64($0) }
        guard let guildId, let guildIndex = world.guildIndexById[guildId] else { throw DiscordAPIError.unknownGuild() }
        let botIndex = object["bot"] as? Int ?? 0
        guard world.bots.indices.contains(botIndex) else {
            throw DiscordAPIError(.badRequest, code: 0, message: "unknown bot \(botIndex)")
        }
        let botId = world.bots[botIndex].id
        let changed = await state.setMembership(botId: botId, guildIndex: guildIndex, member: join)
        if changed {
            let guild = world.guilds[guildIndex]
            if join {
                let withContent = await renderGuildCreate(
                    guild, context: gatewayRenderContext(botIndex: botIndex, messageContent: true, baseURL: baseURL))
                let withoutContent = await renderGuildCreate(
                    guild, context: gatewayRenderContext(botIndex: botIndex, messageContent: false, baseURL: baseURL))
                await gatewayHub.dispatch(
                    GatewayDispatch(name: "GUILD_CREATE", guildId: guild.id, intents: GatewayIntent.guilds) {
                        index, messageContent in
                        index == botIndex ? (messageContent ? withContent : withoutContent) : nil
                    })
            } else {
                let payload = Array("{\"id\":\"\(guild.id)\"}".utf8)
                await gatewayHub.dispatch(
                    GatewayDispatch(name: "GUILD_DELETE", guildId: guild.id, intents: GatewayIntent.guilds) {
                        index, _ in index == botIndex ? payload : nil
                    })
            }
        }
        var w = JSONWriter()
        w.beginObject()
        w.key("id")
        w.id(guildId)
        w.key("changed")
        w.bool(changed)
        w.endObject()
        return APIResponse.json(w)
    }

    /// `createChannel` of `/__sim/mutate`: `{"op": "createChannel", "guildId": G, "name": N, "type": 0}` adds a
    /// channel everyone can read and sends CHANNEL_CREATE.
    func createChannelByMutation(_ object: [String: Any], baseURL: String) async throws -> Response {
        let guildId =
            (object["guildId"] as? String).flatMap { UInt64($0) } ?? (object["guildId"] as? Int).map { UInt64($0) }
        guard let guildId, let guildIndex = world.guildIndexById[guildId] else { throw DiscordAPIError.unknownGuild() }
        let id = await state.newId()
        let ms = (id >> 22) + Snowflake<AnyTag>.discordEpochMilliseconds
        let channel = SimChannel(
            id: id, guildId: guildId, guildIndex: guildIndex,
            type: ChannelType(rawValue: object["type"] as? Int ?? 0), name: object["name"] as? String ?? "new-channel",
            position: 0, parentId: nil, topic: nil, overwrites: [], nsfw: false,
            timeline: MessageTimeline(count: 0, startMilliseconds: ms, endMilliseconds: ms, salt: 0), thread: nil,
            pinCount: 0, rateLimitPerUser: 0, bitrate: nil, userLimit: nil)
        await state.addChannel(channel)
        await emitChannel("CHANNEL_CREATE", channelId: id, baseURL: baseURL)
        return Self.idAnswer(id)
    }

    /// CHANNEL_DELETE (the channel) or THREAD_DELETE (`{id, guild_id, parent_id, type}`), before the deletion.
    func emitChannelDelete(_ view: ChannelView) async {
        let channel = view.channel
        var stub = JSONWriter(capacity: 128)
        stub.beginObject()
        stub.key("id")
        stub.id(channel.id)
        stub.key("guild_id")
        stub.id(channel.guildId)
        stub.key("parent_id")
        stub.id(channel.parentId)
        stub.key("type")
        stub.int(channel.type.rawValue)
        stub.endObject()
        let threadPayload = stub.bytes
        await dispatchToViewers(
            channel.isThread ? "THREAD_DELETE" : "CHANNEL_DELETE", of: view, intents: GatewayIntent.guilds, baseURL: ""
        ) { context in
            if channel.isThread { return threadPayload }
            var w = JSONWriter(capacity: 1024)
            context.writeChannel(channel, overlay: view.overlay, into: &w)
            return w.bytes
        }
    }

    /// MESSAGE_REACTION_ADD `{user_id, channel_id, message_id, guild_id, member, emoji, message_author_id, burst,
    /// burst_colors, type}` for a normal reaction (a custom emoji with its `id`, and `animated` when it is).
    func emitReactionAdd(
        channel view: ChannelView, messageId: UInt64, emoji: String, emojiId: UInt64? = nil, animated: Bool = false,
        userId: UInt64, baseURL: String
    ) async {
        let responder = self
        let authorId = view.message(id: messageId)?.authorId
        let guildIndex = view.channel.guildIndex
        await dispatchToViewers(
            "MESSAGE_REACTION_ADD", of: view, intents: GatewayIntent.guildMessageReactions, baseURL: baseURL
        ) { context in
            var w = JSONWriter(capacity: 1024)
            w.beginObject()
            w.key("user_id")
            w.id(userId)
            w.key("type")
            w.int(0)
            w.key("message_id")
            w.id(messageId)
            w.key("message_author_id")
            w.id(authorId)
            if let user = responder.world.usersById[userId], responder.world.guilds.indices.contains(guildIndex) {
                w.key("member")
                context.writeMember(user, guild: responder.world.guilds[guildIndex], into: &w)
            }
            w.key("emoji")
            w.beginObject()
            w.key("name")
            w.string(emoji)
            w.key("id")
            w.id(emojiId)
            if emojiId != nil, animated {
                w.key("animated")
                w.bool(true)
            }
            w.endObject()
            w.key("channel_id")
            w.id(view.channel.id)
            w.key("burst")
            w.bool(false)
            w.key("guild_id")
            w.id(view.channel.guildId)
            w.key("burst_colors")
            w.beginArray()
            w.endArray()
            w.endObject()
            return w.bytes
        }
    }

    /// Whether a bot is in a guild (a snapshot for rendering events).
    func isMember(_ departures: Set<GuildDeparture>, botId: UInt64, guildIndex: Int) -> Bool {
        !departures.contains(GuildDeparture(botId: botId, guildIndex: guildIndex))
    }
}
