import Foundation
import Hummingbird

extension SimulatorResponder {
    /// `addMember`, `updateMember` and `removeMember` of `/__sim/mutate`, each answered `{"id": user}` and sent on the
    /// gateway as Discord does (discord-api-docs, gateway-events.mdx, "Guild Member Add/Update/Remove"; our reference
    /// is silent on them): only to sessions with the GUILD_MEMBERS intent whose bot is in the guild.
    /// - `{"op": "addMember", "guildId": G, "username": N}` makes a new user who joins; `"userId": U` brings back a
    ///   member who left. GUILD_MEMBER_ADD: the guild member object plus `guild_id`.
    /// - `{"op": "updateMember", "guildId": G, "userId": U, "nick": N or null, "roles": [ids]}` (each key optional:
    ///   an absent one keeps its value). GUILD_MEMBER_UPDATE: `guild_id`, `roles`, `user`, `nick`, `avatar`,
    ///   `joined_at`, `premium_since`, `deaf`, `mute`, `pending`, `communication_disabled_until` (the member object
    ///   plus `guild_id`).
    /// - `{"op": "removeMember", "guildId": G, "userId": U}` (a leave, kick or ban). GUILD_MEMBER_REMOVE:
    ///   `{guild_id, user}`, the user object only.
    func mutateMember(_ object: [String: Any], op: String, baseURL: String) async throws -> Response {
        func id(_ key: String) -> UInt64? {
            (object[key] as? String).flatMap { UInt64($0) } ?? (object[key] as? Int).map { UInt64($0) }
        }
        guard let guildId = id("guildId"), let guildIndex = world.guildIndexById[guildId] else {
            throw DiscordAPIError.unknownGuild()
        }
        let guild = world.guilds[guildIndex]
        let context = gatewayRenderContext(botIndex: 0, messageContent: false, baseURL: baseURL)
        var guildKey = JSONWriter(capacity: 48)
        guildKey.beginObject()
        guildKey.key("guild_id")
        guildKey.id(guildId)
        guildKey.endObject()
        let nowMilliseconds = UInt64(now() * 1000)
        switch op {
        case "addMember":
            guard
                let member = await state.addMember(
                    userId: id("userId"), username: object["username"] as? String ?? "newcomer", guildIndex: guildIndex,
                    milliseconds: nowMilliseconds)
            else {
                throw DiscordAPIError(.badRequest, code: 0, message: "userId names nobody who left guild \(guildId)")
            }
            var w = JSONWriter(capacity: 600)
            context.writeMember(member.user, guild: guild, profile: member.profile, into: &w)
            await emitMemberEvent(
                "GUILD_MEMBER_ADD", guildIndex: guildIndex, payload: Self.splice(w.bytes, guildKey.bytes))
            return Self.idAnswer(member.user.id)
        case "updateMember":
            guard let userId = id("userId"), let current = await state.member(userId, guildIndex: guildIndex) else {
                throw DiscordAPIError.unknownMember()
            }
            var profile = current.profile ?? RenderContext.generatedProfile(of: current.user, in: guild)
            if object.keys.contains("nick") { profile.nick = object["nick"] as? String }
            if let roles = object["roles"] as? [Any] {
                profile.roleIds = roles.compactMap {
                    ($0 as? String).flatMap { UInt64($0) } ?? ($0 as? Int).map { UInt64($0) }
                }
            }
            guard let user = await state.updateMember(userId, guildIndex: guildIndex, profile: profile) else {
                throw DiscordAPIError.unknownMember()
            }
            var w = JSONWriter(capacity: 600)
            context.writeMember(user, guild: guild, profile: profile, into: &w)
            await emitMemberEvent(
                "GUILD_MEMBER_UPDATE", guildIndex: guildIndex, payload: Self.splice(w.bytes, guildKey.bytes))
            return Self.idAnswer(userId)
        default:
            if let userId = id("userId"), world.bots.contains(where: { $0.id == userId }) {
                throw DiscordAPIError(.badRequest, code: 0, message: "a bot leaves with the leaveGuild op")
            }
            guard let userId = id("userId"), let user = await state.removeMember(userId, guildIndex: guildIndex) else {
                throw DiscordAPIError.unknownMember()
            }
            var w = JSONWriter(capacity: 300)
            w.beginObject()
            w.key("guild_id")
            w.id(guildId)
            w.key("user")
            context.writeUser(user, into: &w)
            w.endObject()
            await emitMemberEvent("GUILD_MEMBER_REMOVE", guildIndex: guildIndex, payload: w.bytes)
            return Self.idAnswer(userId)
        }
    }

    /// Sends a GUILD_MEMBER_* event to the sessions with the GUILD_MEMBERS intent whose bot is in the guild.
    private func emitMemberEvent(_ name: String, guildIndex: Int, payload: [UInt8]) async {
        let responder = self
        let departures = await state.departures
        await gatewayHub.dispatch(
            GatewayDispatch(name: name, guildId: world.guilds[guildIndex].id, intents: GatewayIntent.guildMembers) {
                botIndex, _ in
                guard responder.world.bots.indices.contains(botIndex),
                    responder.isMember(departures, botId: responder.world.bots[botIndex].id, guildIndex: guildIndex)
                else { return nil }
                return payload
            })
    }
}
