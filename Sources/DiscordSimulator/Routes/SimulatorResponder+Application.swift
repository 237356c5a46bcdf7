import DiscordModels
import Hummingbird

extension SimulatorResponder {
    /// Application flags (discord-api-docs: resources/application.mdx, "Application Flags").
    enum ApplicationFlag {
        static let gatewayGuildMembersLimited = 1 << 15
        static let gatewayMessageContentLimited = 1 << 19
    }

    /// The application flags of the simulated app. Each bot is an unverified app in fewer than 100 guilds, so an
    /// enabled privileged intent shows as its `_LIMITED` bit (the unlimited bits are for verified apps).
    var applicationFlags: Int {
        var flags = 0
        if configuration.guildMembersIntent { flags |= ApplicationFlag.gatewayGuildMembersLimited }
        if configuration.messageContentIntent { flags |= ApplicationFlag.gatewayMessageContentLimited }
        return flags
    }

    /// `GET /oauth2/applications/@me`: the bot's own application (spec: `PrivateApplicationResponse`). Each token
    /// is its own app; as for every app created since 2020 the application id equals the bot user's id.
    func currentApplication(_ api: APIRequest) throws -> Response {
        guard let bot = world.usersById[api.botId] else { throw DiscordAPIError.unauthorized() }
        let context = renderContext(api)
        let owner = world.humans[world.guilds.first?.ownerIndex ?? 0]
        let flags = applicationFlags
        var w = JSONWriter(capacity: 2048)
        w.beginObject()
        w.key("id")
        w.id(bot.id)
        w.key("name")
        w.string(bot.username)
        w.key("icon")
        w.null()
        w.key("description")
        w.string("Keeps the sagas of the hall: a simulated archiver bot.")
        w.key("summary")
        w.string("")
        w.key("type")
        w.null()
        w.key("bot")
        context.writeUser(bot, into: &w)
        w.key("bot_public")
        w.bool(false)
        w.key("bot_require_code_grant")
        w.bool(false)
        w.key("verify_key")
        w.string(
            WorldGenerator.hexHash(world.seed, 0xA991, bot.id, animated: false)
                + WorldGenerator.hexHash(world.seed, 0xA992, bot.id, animated: false))
        w.key("flags")
        w.int(flags)
        w.key("flags_new")
        w.string(String(flags))
        w.key("hook")
        w.bool(true)
        w.key("redirect_uris")
        w.beginArray()
        w.endArray()
        w.key("interactions_endpoint_url")
        w.null()
        w.key("role_connections_verification_url")
        w.null()
        w.key("event_webhooks_url")
        w.null()
        w.key("event_webhooks_status")
        w.int(1)
        w.key("event_webhooks_types")
        w.beginArray()
        w.endArray()
        w.key("owner")
        context.writeUser(owner, into: &w)
        w.key("team")
        w.null()
        w.key("approximate_guild_count")
        w.int(world.guilds.count)
        w.key("approximate_user_install_count")
        w.int(0)
        w.key("approximate_user_authorization_count")
        w.int(1)
        w.key("explicit_content_filter")
        w.int(0)
        w.key("integration_types_config")
        w.beginObject()
        w.key("0")
        w.beginObject()
        w.endObject()
        w.endObject()
        w.key("eligible_oauth2_scopes")
        w.beginArray()
        w.endArray()
        w.key("is_monetized")
        w.bool(false)
        w.key("tags")
        w.beginArray()
        w.endArray()
        w.endObject()
        return APIResponse.json(w)
    }
}
