import DiscordModels

extension DiscordClient {
    /// `GET /users/@me`: the bot user.
    public func currentUser() async throws -> Decoded<User> {
        try await object(.global(.get, "/users/@me", object: "the current user"))
    }

    /// `GET /gateway/bot`: the gateway URL, shard count and session start limit.
    public func gatewayBot() async throws -> Decoded<GatewayBot> {
        try await object(.global(.get, "/gateway/bot", object: "the gateway"))
    }

    /// `GET /users/@me/guilds`, every page (ascending by id, up to 200 per page).
    public func guilds(after cursor: Snowflake<Guild> = Snowflake(0), pageSize: Int = 200, withCounts: Bool = false)
        -> PageSequence<[Decoded<PartialGuild>]>
    {
        let limit = min(max(pageSize, 1), 200)
        return .cursor(start: cursor) { cursor in
            var route = Route.global(.get, "/users/@me/guilds", object: "the current user's guilds")
            route.add("after", cursor)
            route.add("limit", limit)
            if withCounts { route.add("with_counts", "true") }
            let page: [Decoded<PartialGuild>] = try await self.array(route)
            return (page, page.isEmpty, page.count < limit ? nil : page.map(\.value.id).max())
        }
    }
}
