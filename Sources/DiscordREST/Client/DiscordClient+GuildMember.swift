import DiscordModels

extension DiscordClient {
    /// `GET /guilds/{guild_id}/members/{user_id}`: one member, with its roles. Needs no privileged intent, so
    /// the archiver uses it to learn the bot's own roles for permission checks.
    public func guildMember(_ guild: Snowflake<Guild>, user: Snowflake<User>) async throws -> Decoded<GuildMember> {
        try await object(
            .guild(
                guild, .get, "/members/\(user)", template: "/members/{user_id}",
                object: "member \(user) of guild \(guild)"))
    }
}
