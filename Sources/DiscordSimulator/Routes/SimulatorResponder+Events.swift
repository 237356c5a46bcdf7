import DiscordModels
import Hummingbird

extension SimulatorResponder {
    /// The event of a route's second id in the route's guild; a 10004/10070 response otherwise.
    func scheduledEvent(_ api: APIRequest) async throws -> (SimGuild, SimEvent) {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        let guild = world.guilds[index]
        guard api.ids.count > 1, let event = await events(of: guild).first(where: { $0.id == api.ids[1] }) else {
            throw DiscordAPIError.unknownEvent()
        }
        return (guild, event)
    }

    /// `GET /guilds/{g}/scheduled-events/{e}?with_user_count`.
    func guildEvent(_ api: APIRequest) async throws -> Response {
        let (guild, event) = try await scheduledEvent(api)
        var w = JSONWriter(capacity: 1024)
        renderContext(api).writeEvent(
            event, guild: guild, withUserCount: try api.query.discordFlag("with_user_count"), into: &w)
        return APIResponse.json(w)
    }

    /// `GET /guilds/{g}/scheduled-events/{e}/users?limit(1-100, def 100)&with_member&before&after`: ascending by
    /// user id; when both cursors are given only `before` counts (discord-api.md §3.2). A `before` page holds the
    /// `limit` users right below the cursor, still ascending.
    func guildEventUsers(_ api: APIRequest) async throws -> Outcome {
        let (guild, event) = try await scheduledEvent(api)
        let limit: Int = try limitParameter(api, default: 100, range: 1...100)
        let before = try snowflakeParameter(api, "before")
        let after = try snowflakeParameter(api, "after")
        var users = world.eventUsers(event)
        let cursor: String
        if let before {
            users = Array(users.filter { $0.id < before }.suffix(limit))
            cursor = "before=\(before)"
        } else {
            users = Array(users.filter { $0.id > (after ?? 0) }.prefix(limit))
            cursor = "after=\(after ?? 0)"
        }
        let withMember = try api.query.discordFlag("with_member")
        let context = renderContext(api)
        var w = JSONWriter(capacity: 1000 * users.count + 2)
        w.beginArray()
        for user in users {
            w.beginObject()
            w.key("guild_scheduled_event_id")
            w.id(event.id)
            w.key("user_id")
            w.id(user.id)
            w.key("user")
            context.writeUser(user, into: &w)
            if withMember {
                w.key("member")
                context.writeMember(user, guild: guild, into: &w)
            }
            w.key("response")
            w.int(1)  // INTERESTED
            w.endObject()
        }
        w.endArray()
        return Outcome(
            response: APIResponse.json(w), pageKey: "\(api.route.rawValue)|\(guild.id)|\(event.id)/\(cursor)")
    }

    /// The guild's scheduled events, those deleted at runtime left out.
    func events(of guild: SimGuild) async -> [SimEvent] {
        let deleted = await state.deletedEvents
        return deleted.isEmpty ? guild.events : guild.events.filter { !deleted.contains($0.id) }
    }

    /// `deleteEvent` of `/__sim/mutate`: `{"op": "deleteEvent", "guildId": G, "eventId": E}`, a moderator deleting a
    /// scheduled event: GUILD_SCHEDULED_EVENT_DELETE (GUILD_SCHEDULED_EVENTS intent) carries the event.
    func deleteEventByMutation(_ object: [String: Any], baseURL: String) async throws -> Response {
        func id(_ key: String) -> UInt64? {
            (object[key] as? String).flatMap { UInt64($0) } ?? (object[key] as? Int).map { UInt64($0) }
        }
        guard let guildId = id("guildId"), let guildIndex = world.guildIndexById[guildId] else {
            throw DiscordAPIError.unknownGuild()
        }
        let guild = world.guilds[guildIndex]
        guard let eventId = id("eventId"), let event = await events(of: guild).first(where: { $0.id == eventId })
        else { throw DiscordAPIError.unknownEvent() }
        _ = await state.deleteEvent(eventId)
        await dispatchToGuild(
            "GUILD_SCHEDULED_EVENT_DELETE", guildIndex: guildIndex, intents: GatewayIntent.guildScheduledEvents,
            baseURL: baseURL
        ) { context in
            var w = JSONWriter(capacity: 1024)
            context.writeEvent(event, guild: guild, withUserCount: false, into: &w)
            return w.bytes
        }
        return Self.idAnswer(eventId)
    }
}
