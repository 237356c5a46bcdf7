import DiscordREST

extension MirrorEngine {
    /// A run stopped by a refusal or a failure of the target (or the source's CDN client), in words: the REST error,
    /// what to change where a change is needed (the permission a 403 lacks, the token a 401 refused), and that the
    /// same command continues where the run stopped, since everything sent so far is recorded.
    static func stopped(by error: DiscordRESTError, on target: MirrorTarget) -> MirrorError {
        let resume = "everything sent so far is recorded: run the same command again to continue"
        var text = "\(error)"
        let ours = error.service == target.client.configuration.service
        if error.code == .forbidden, ours, error.errorCodeName == "NSFW_CONTENT_AGE_RESTRICTED" {
            // Fluxer refuses bots every call on an NSFW text channel (bots have no birth date; fluxer-api.md §3.2).
            text +=
                ". The target channel is age-restricted (NSFW) and Fluxer refuses bots in it (the mirror sets NSFW "
                + "only after a channel's messages and pins): ask the owner of the \(target.service.communityNoun) to "
                + "turn NSFW off on it (the mirror sets it again once the channel is complete), then \(resume)"
        } else if error.code == .forbidden, ours, target.service == .fluxer,
            error.route?.hasSuffix(" /guilds/{guild_id}/roles/{role_id}") == true
                || error.route == "PATCH /guilds/{guild_id}/roles"
        {
            // Fluxer edits and moves only roles below the bot's highest role, ADMINISTRATOR or not (fluxer-api.md
            // §3.3).
            text +=
                ". Fluxer lets the bot edit and move only roles below its own highest role, even with ADMINISTRATOR, and "
                + "gives the bot's role position 1 when it joins: ask the owner of the \(target.service.communityNoun) "
                + "\(target.guild) to move the bot's role to the top, then \(resume)"
        } else if error.code == .forbidden, ours,
            let permission = neededPermission(route: error.route, service: target.service)
        {
            text +=
                ". The bot needs \(permission) in the target \(target.service.communityNoun) \(target.guild) (or "
                + "ADMINISTRATOR): grant it, then \(resume)"
        } else if error.code == .unauthorized || error.code == .forbidden || error.code == .badRequest {
            text += ". Once that is fixed, \(resume)"
        } else {
            text += ". The target may be down or overloaded; \(resume)"
        }
        return MirrorError(message: text, underlying: error)
    }

    /// The permission a write of the mirror needs, from its route (`POST /guilds/{guild_id}/roles`): the names
    /// of discord-api.md and fluxer-api.md §3 (their expression permissions differ).
    public static func neededPermission(route: String?, service: MirrorTarget.Service) -> String? {
        guard let route else { return nil }
        let expressions = service == .discord ? "CREATE_GUILD_EXPRESSIONS" : "CREATE_EXPRESSIONS"
        let rules: [(suffix: String, permission: String)] = [
            ("/guilds/{guild_id}/roles", "MANAGE_ROLES"),
            ("/guilds/{guild_id}/roles/{role_id}", "MANAGE_ROLES (and a role above this one)"),
            ("/guilds/{guild_id}/channels", "MANAGE_CHANNELS"),
            ("/channels/{channel_id}", "MANAGE_CHANNELS"),
            ("/channels/{channel_id}/threads", "CREATE_PUBLIC_THREADS and CREATE_PRIVATE_THREADS"),
            ("/channels/{channel_id}/webhooks", "MANAGE_WEBHOOKS"),
            ("/guilds/{guild_id}/emojis", expressions),
            ("/guilds/{guild_id}/stickers", expressions),
            ("/channels/{channel_id}/pins/{message_id}", "PIN_MESSAGES"),
            ("/channels/{channel_id}/messages/pins/{message_id}", "PIN_MESSAGES"),
        ]
        return rules.first { route.hasSuffix(" " + $0.suffix) }?.permission
    }
}
