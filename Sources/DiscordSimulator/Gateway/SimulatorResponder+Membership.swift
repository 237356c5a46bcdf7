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
    func mutateMembership(_ object: [String: Any], join: Bool, baseURL: String) async -> Response {
        let guildId =
            (object["guildId"] as? String).flatMap { UInt64($0) } ?? (object["guildId"] as? Int).map { UInt64($0) }
        guard let guildId, let guildIndex = world.guildIndexById[guildId] else { return APIResponse.unknownGuild() }
        let botIndex = object["bot"] as? Int ?? 0
        guard world.bots.indices.contains(botIndex) else {
            return APIResponse.error(.badRequest, code: 0, message: "unknown bot \(botIndex)")
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

    /// Whether a bot is in a guild (a snapshot for rendering events).
    func isMember(_ departures: Set<GuildDeparture>, botId: UInt64, guildIndex: Int) -> Bool {
        !departures.contains(GuildDeparture(botId: botId, guildIndex: guildIndex))
    }
}
