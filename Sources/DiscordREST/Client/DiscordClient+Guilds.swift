import DiscordModels

extension DiscordClient {
    /// `GET /guilds/{guild_id}`; `withCounts` adds the approximate member and presence counts.
    public func guild(_ id: Snowflake<Guild>, withCounts: Bool = true) async throws -> Decoded<Guild> {
        var route = Route.guild(id, .get, "")
        if withCounts { route.add("with_counts", "true") }
        return try await object(route)
    }

    /// `GET /guilds/{guild_id}/channels`: channels without threads, unsorted.
    public func guildChannels(_ id: Snowflake<Guild>) async throws -> [Decoded<Channel>] {
        try await array(.guild(id, .get, "/channels"))
    }

    /// `GET /guilds/{guild_id}/roles`.
    public func roles(_ id: Snowflake<Guild>) async throws -> [Decoded<Role>] {
        try await array(.guild(id, .get, "/roles"))
    }

    /// `GET /guilds/{guild_id}/emojis`.
    public func emojis(_ id: Snowflake<Guild>) async throws -> [Decoded<Emoji>] {
        try await array(.guild(id, .get, "/emojis"))
    }

    /// `GET /guilds/{guild_id}/stickers`.
    public func stickers(_ id: Snowflake<Guild>) async throws -> [Decoded<Sticker>] {
        try await array(.guild(id, .get, "/stickers"))
    }

    /// `GET /guilds/{guild_id}/scheduled-events`; `withUserCount` adds `user_count`.
    public func scheduledEvents(_ id: Snowflake<Guild>, withUserCount: Bool = true) async throws
        -> [Decoded<ScheduledEvent>]
    {
        var route = Route.guild(id, .get, "/scheduled-events")
        if withUserCount { route.add("with_user_count", "true") }
        return try await array(route)
    }

    /// `GET /guilds/{guild_id}/scheduled-events/{event_id}/users`, every page (ascending by user id).
    public func scheduledEventUsers(
        _ event: Snowflake<ScheduledEvent>, in guild: Snowflake<Guild>, withMember: Bool = false,
        pageSize: Int = 100
    ) -> PageSequence<[Decoded<ScheduledEventUser>]> {
        let limit = min(max(pageSize, 1), 100)
        return .cursor(start: Snowflake<User>(0)) { cursor in
            var route = Route.guild(
                guild, .get, "/scheduled-events/\(event)/users", template: "/scheduled-events/{event_id}/users",
                object: "scheduled event \(event) in guild \(guild)")
            route.add("limit", limit)
            route.add("after", cursor)
            if withMember { route.add("with_member", "true") }
            let page: [Decoded<ScheduledEventUser>] = try await self.array(route)
            let sorted = page.sorted { $0.value.user.id < $1.value.user.id }
            return (sorted, sorted.isEmpty, sorted.count < limit ? nil : sorted.last?.value.user.id)
        }
    }

    /// `GET /guilds/{guild_id}/members`, every page (ascending by user id, up to 1000 per page).
    ///
    /// Needs the GUILD_MEMBERS privileged intent enabled for the application: without it the sequence throws
    /// ``DiscordRESTError`` with code ``DiscordRESTError/Code/missingIntent``.
    public func members(_ guild: Snowflake<Guild>, after cursor: Snowflake<User> = Snowflake(0), pageSize: Int = 1000)
        -> PageSequence<[Decoded<GuildMember>]>
    {
        let limit = min(max(pageSize, 1), 1000)
        return .cursor(start: cursor) { cursor in
            var route = Route.guild(guild, .get, "/members", object: "members of guild \(guild)")
            route.add("limit", limit)
            route.add("after", cursor)
            let page: [Decoded<GuildMember>]
            do {
                page = try await self.array(route)
            } catch let error as DiscordRESTError
                where error.code == .forbidden && (error.discordCode == 50001 || error.discordCode == nil)
            {
                throw DiscordRESTError.missingIntent(
                    "GUILD_MEMBERS", route: error.route, object: error.object, discordCode: error.discordCode,
                    discordMessage: error.discordMessage)
            }
            let ids = page.compactMap { $0.value.user?.id }
            return (page, page.isEmpty, page.count < limit ? nil : ids.max())
        }
    }

    /// `GET /guilds/{guild_id}/threads/active`: every active thread the bot can see.
    public func activeThreads(_ guild: Snowflake<Guild>) async throws -> ThreadPage {
        try await send(.guild(guild, .get, "/threads/active")) { try ThreadPage(decoding: $0.body, using: decoder) }
    }
}
