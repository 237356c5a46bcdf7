import DiscordModels
import Hummingbird

extension SimulatorResponder {
    func currentUser(_ api: APIRequest) throws -> Response {
        let context = renderContext(api)
        var w = JSONWriter(capacity: 512)
        guard let bot = world.usersById[api.botId] else { throw DiscordAPIError.unauthorized() }
        w.beginObject()
        w.key("id")
        w.id(bot.id)
        w.key("username")
        w.string(bot.username)
        w.key("avatar")
        w.string(bot.avatarHash)
        w.key("discriminator")
        w.string("0")
        w.key("public_flags")
        w.int(0)
        w.key("flags")
        w.int(0)
        w.key("bot")
        w.bool(true)
        w.key("banner")
        w.null()
        w.key("accent_color")
        w.null()
        w.key("global_name")
        w.null()
        w.key("avatar_decoration_data")
        w.null()
        w.key("collectibles")
        w.null()
        w.key("primary_guild")
        w.null()
        w.key("mfa_enabled")
        w.bool(false)
        w.key("locale")
        w.string("en-US")
        w.key("premium_type")
        w.int(0)
        w.key("email")
        w.null()
        w.key("verified")
        w.bool(true)
        w.endObject()
        _ = context
        return APIResponse.json(w)
    }

    func currentUserGuilds(_ api: APIRequest) async throws -> Outcome {
        let limit: Int = try limitParameter(api, default: 200, range: 1...200)
        let before = try snowflakeParameter(api, "before")
        let after = try snowflakeParameter(api, "after")
        let departures = await state.departures
        var guilds = world.guilds.sorted { $0.id < $1.id }.filter {
            !departures.contains(GuildDeparture(botId: api.botId, guildIndex: $0.index))
        }
        if let after { guilds = guilds.filter { $0.id > after } }
        if let before, after == nil {
            guilds = guilds.filter { $0.id < before }
            guilds = Array(guilds.suffix(limit))
        } else {
            guilds = Array(guilds.prefix(limit))
        }
        let withCounts = try api.query.discordFlag("with_counts")
        var w = JSONWriter(capacity: 256 * guilds.count + 2)
        w.beginArray()
        for guild in guilds {
            w.beginObject()
            w.key("id")
            w.id(guild.id)
            w.key("name")
            w.string(guild.name)
            w.key("icon")
            w.string(guild.iconHash)
            w.key("banner")
            w.null()
            w.key("owner")
            w.bool(false)
            w.key("permissions")
            w.string(String(basePermissions(of: api.botId, guildIndex: guild.index).rawValue))
            w.key("features")
            w.beginArray()
            w.string("COMMUNITY")
            w.string("NEWS")
            w.endArray()
            if withCounts { RenderContext.writeApproximateCounts(of: world, into: &w) }
            w.endObject()
        }
        w.endArray()
        let cursor = after.map { "after=\($0)" } ?? before.map { "before=\($0)" } ?? "first"
        return Outcome(response: APIResponse.json(w), pageKey: "\(api.route.rawValue)|0|\(cursor)")
    }

    func gateway(_ api: APIRequest) async throws -> Response {
        // Without a path, as Discord's is (`wss://gateway.discord.gg`): a client must connect at `/`. With the
        // path `/gateway` it had, a client that appended its query to a bare host (`GET ?v=10…`) went unnoticed.
        let wsBase = api.baseURL.replacingOccurrences(of: "http://", with: "ws://")
        var w = JSONWriter(capacity: 256)
        w.beginObject()
        w.key("url")
        w.string(wsBase)
        if api.route == .gatewayBot {
            w.key("shards")
            w.int(max(1, (world.guilds.count + 999) / 1000))
            w.key("session_start_limit")
            w.beginObject()
            w.key("total")
            w.int(configuration.gateway.identifyBudget)
            w.key("remaining")
            w.int(await gatewayHub.identifiesRemaining(botIndex: api.botIndex))
            w.key("reset_after")
            w.int(86_400_000)
            w.key("max_concurrency")
            w.int(configuration.gateway.maxConcurrency)
            w.endObject()
        }
        w.endObject()
        return APIResponse.json(w)
    }
}
