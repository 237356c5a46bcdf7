import DiscordModels
import Hummingbird

extension ArchiveServer {
    /// `GET /api/v10/guilds/{id}/members`: the members the archive holds (`skald archive --members`) as Discord pages
    /// them, ascending by user id after `after`, `limit` 1–1000 (default 1). Before, the route was missing, and
    /// discord.py's `guild.fetch_members()` stopped at a 404.
    func addMemberListRoute(to api: RouterGroup<BasicRequestContext>) {
        api.get("guilds/:guild/members") { request, context in
            guard let guild: Snowflake<Guild> = Self.id(context, "guild"), try await hasGuild(guild) else {
                return Self.unknownGuild
            }
            let query = Self.query(request)
            let limit: Int
            do {
                limit = try MessagePageRequest.limit(query["limit"], default: 1, maximum: 1000)
            } catch let error as DiscordFieldError {
                return Self.invalidForm(error)
            }
            var after: Snowflake<User>?
            if let text = query["after"] {
                guard let id = Snowflake<User>(text) else {
                    return Self.invalidForm(
                        .init(
                            field: "after", code: "NUMBER_TYPE_COERCE", message: "Value \"\(text)\" is not snowflake."))
                }
                after = id
            }
            return ServeResponses.jsonArray(try await store.members(in: guild, after: after, limit: limit))
        }
    }
}
