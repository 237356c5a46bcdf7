import DiscordModels

extension Route {
    /// A route below `/channels/{channel_id}`; `template` defaults to `suffix` (no other ids in it).
    static func channel(
        _ channel: Snowflake<Channel>, _ method: Method, _ suffix: String, template: String? = nil,
        object: String? = nil
    ) -> Route {
        Route(
            method, "/channels/\(channel)\(suffix)", template: "/channels/{channel_id}\(template ?? suffix)",
            major: .channel(channel.rawValue), object: object ?? "channel \(channel)")
    }

    /// A route below `/guilds/{guild_id}`.
    static func guild(
        _ guild: Snowflake<Guild>, _ method: Method, _ suffix: String, template: String? = nil, object: String? = nil
    ) -> Route {
        Route(
            method, "/guilds/\(guild)\(suffix)", template: "/guilds/{guild_id}\(template ?? suffix)",
            major: .guild(guild.rawValue), object: object ?? "guild \(guild)")
    }

    /// A route without a major parameter.
    static func global(_ method: Method, _ path: String, template: String? = nil, object: String? = nil) -> Route {
        Route(method, path, template: template ?? path, object: object)
    }
}
