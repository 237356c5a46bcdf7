import DiscordModels
import Hummingbird

extension SimulatorResponder {
    func guild(_ api: APIRequest) async throws -> Response {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        let roles = await state.roles(index)
        var w = JSONWriter(capacity: 8192)
        renderContext(api).writeGuild(
            world.guilds[index], roles: roles, emojis: await state.emojis(index), stickers: await state.stickers(index),
            withCounts: try api.query.discordFlag("with_counts"), into: &w)
        return APIResponse.json(w)
    }

    func guildChannels(_ api: APIRequest) async throws -> Response {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        let channels = await state.guildChannels(index)
        let context = renderContext(api)
        var w = JSONWriter(capacity: 512 * channels.count + 2)
        w.beginArray()
        for (channel, overlay) in channels { context.writeChannel(channel, overlay: overlay, into: &w) }
        w.endArray()
        return APIResponse.json(w)
    }

    func guildRoles(_ api: APIRequest) async throws -> Response {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        let roles = await state.roles(index)
        let context = renderContext(api)
        var w = JSONWriter(capacity: 300 * roles.count + 2)
        w.beginArray()
        for role in roles { context.writeRole(role, guild: world.guilds[index], into: &w) }
        w.endArray()
        return APIResponse.json(w)
    }

    /// Whether the bot holds CREATE_ or MANAGE_GUILD_EXPRESSIONS (then emojis and stickers carry `user`).
    func canSeeExpressionCreators(_ api: APIRequest, guildIndex: Int) -> Bool {
        seesExpressionCreators(api.botId, guildIndex: guildIndex)
    }

    /// Whether `botId` sees who created the guild's emojis and stickers (CREATE_ or MANAGE_GUILD_EXPRESSIONS).
    func seesExpressionCreators(_ botId: UInt64, guildIndex: Int) -> Bool {
        let base = basePermissions(of: botId, guildIndex: guildIndex)
        return !base.isDisjoint(with: [.manageGuildExpressions, .createGuildExpressions])
    }

    func guildEmojis(_ api: APIRequest) async throws -> Response {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        let includeUser = canSeeExpressionCreators(api, guildIndex: index)
        let context = renderContext(api)
        var w = JSONWriter(capacity: 4096)
        w.beginArray()
        for emoji in await state.emojis(index) { context.writeEmoji(emoji, includeUser: includeUser, into: &w) }
        w.endArray()
        return APIResponse.json(w)
    }

    /// `GET /guilds/{g}/emojis/{e}`: 404 10014 for an emoji of no (or another) guild.
    func guildEmoji(_ api: APIRequest) throws -> Response {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        guard api.ids.count > 1, let emoji = world.guilds[index].emojis.first(where: { $0.id == api.ids[1] }) else {
            throw DiscordAPIError.unknownEmoji(.notFound)
        }
        var w = JSONWriter(capacity: 1024)
        renderContext(api).writeEmoji(emoji, includeUser: canSeeExpressionCreators(api, guildIndex: index), into: &w)
        return APIResponse.json(w)
    }

    /// `GET /guilds/{g}/stickers/{s}`: 404 10060 for a sticker of no (or another) guild.
    func guildSticker(_ api: APIRequest) async throws -> Response {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        let guild = world.guilds[index]
        guard api.ids.count > 1, let sticker = await state.stickers(index).first(where: { $0.id == api.ids[1] }) else {
            throw DiscordAPIError.unknownSticker()
        }
        var w = JSONWriter(capacity: 1024)
        renderContext(api).writeSticker(
            sticker, guild: guild, includeUser: canSeeExpressionCreators(api, guildIndex: index), into: &w)
        return APIResponse.json(w)
    }

    func guildStickers(_ api: APIRequest) async throws -> Response {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        let includeUser = canSeeExpressionCreators(api, guildIndex: index)
        let context = renderContext(api)
        let guild = world.guilds[index]
        var w = JSONWriter(capacity: 4096)
        w.beginArray()
        for sticker in await state.stickers(index) {
            context.writeSticker(sticker, guild: guild, includeUser: includeUser, into: &w)
        }
        w.endArray()
        return APIResponse.json(w)
    }

    func guildEvents(_ api: APIRequest) async throws -> Response {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        let context = renderContext(api)
        let guild = world.guilds[index]
        let withUserCount = try api.query.discordFlag("with_user_count")
        var w = JSONWriter(capacity: 4096)
        w.beginArray()
        for event in await events(of: guild) {
            context.writeEvent(event, guild: guild, withUserCount: withUserCount, into: &w)
        }
        w.endArray()
        return APIResponse.json(w)
    }

    /// `GET /guilds/{g}/members?limit(1-1000, def 1)&after`: ascending by user id; members who left at runtime are
    /// gone, those who joined are listed, changed profiles as changed.
    func guildMembers(_ api: APIRequest) async throws -> Outcome {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        guard configuration.guildMembersIntent else { throw DiscordAPIError.missingAccess() }
        let limit: Int = try limitParameter(api, default: 1, range: 1...1000)
        let after: UInt64 = try snowflakeParameter(api, "after") ?? 0
        let guild = world.guilds[index]
        let members = await state.members(index).filter { $0.user.id > after }.prefix(limit)
        let context = renderContext(api)
        var w = JSONWriter(capacity: 600 * members.count + 2)
        w.beginArray()
        for member in members { context.writeMember(member.user, guild: guild, profile: member.profile, into: &w) }
        w.endArray()
        return Outcome(response: APIResponse.json(w), pageKey: "\(api.route.rawValue)|\(guild.id)|after=\(after)")
    }

    /// `GET /guilds/{g}/members/{user}`: one member. Unlike the member list it needs no privileged intent.
    func guildMember(_ api: APIRequest) async throws -> Response {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        guard api.ids.count > 1, let member = await state.member(api.ids[1], guildIndex: index) else {
            throw DiscordAPIError.unknownMember()
        }
        var w = JSONWriter(capacity: 600)
        renderContext(api).writeMember(member.user, guild: world.guilds[index], profile: member.profile, into: &w)
        return APIResponse.json(w)
    }

    func activeThreads(_ api: APIRequest) async throws -> Response {
        guard let index = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        let threads = await state.guildThreads(index)
        var visible: [(SimChannel, ChannelOverlay)] = []
        for (thread, overlay) in threads where !(thread.thread?.archived ?? true) {
            guard let view = await state.view(thread.id), canView(api.botId, view) else { continue }
            visible.append((thread, overlay))
        }
        visible.sort { $0.0.id > $1.0.id }
        let context = renderContext(api)
        var w = JSONWriter(capacity: 800 * visible.count + 32)
        w.beginObject()
        w.key("threads")
        w.beginArray()
        for (thread, overlay) in visible { context.writeChannel(thread, overlay: overlay, into: &w) }
        w.endArray()
        w.key("members")
        w.beginArray()
        for (thread, _) in visible where thread.thread?.joinedBots.contains(api.botId) == true {
            context.writeThreadMember(thread, userId: api.botId, into: &w)
        }
        w.endArray()
        w.endObject()
        return APIResponse.json(w)
    }
}
