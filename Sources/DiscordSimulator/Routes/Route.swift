/// The API routes the simulator answers: method, template, bucket and major parameter.
enum Route: String, Sendable, CaseIterable {
    case currentUser = "GET /users/@me"
    case currentUserGuilds = "GET /users/@me/guilds"
    case currentApplication = "GET /oauth2/applications/@me"
    case gatewayBot = "GET /gateway/bot"
    case gateway = "GET /gateway"
    case guild = "GET /guilds/{guild.id}"
    case guildChannels = "GET /guilds/{guild.id}/channels"
    case createGuildChannel = "POST /guilds/{guild.id}/channels"
    case guildRoles = "GET /guilds/{guild.id}/roles"
    case createGuildRole = "POST /guilds/{guild.id}/roles"
    case guildEmojis = "GET /guilds/{guild.id}/emojis"
    case guildEmoji = "GET /guilds/{guild.id}/emojis/{emoji.id}"
    case guildStickers = "GET /guilds/{guild.id}/stickers"
    case guildSticker = "GET /guilds/{guild.id}/stickers/{sticker.id}"
    case guildEvents = "GET /guilds/{guild.id}/scheduled-events"
    case guildEvent = "GET /guilds/{guild.id}/scheduled-events/{event.id}"
    case guildEventUsers = "GET /guilds/{guild.id}/scheduled-events/{event.id}/users"
    case guildMembers = "GET /guilds/{guild.id}/members"
    case guildMember = "GET /guilds/{guild.id}/members/{user.id}"
    case activeThreads = "GET /guilds/{guild.id}/threads/active"
    case channel = "GET /channels/{channel.id}"
    case messages = "GET /channels/{channel.id}/messages"
    case createMessage = "POST /channels/{channel.id}/messages"
    case message = "GET /channels/{channel.id}/messages/{message.id}"
    case deleteMessage = "DELETE /channels/{channel.id}/messages/{message.id}"
    case pins = "GET /channels/{channel.id}/messages/pins"
    case legacyPins = "GET /channels/{channel.id}/pins"
    case reactionUsers = "GET /channels/{channel.id}/messages/{message.id}/reactions/{emoji}"
    case publicArchivedThreads = "GET /channels/{channel.id}/threads/archived/public"
    case privateArchivedThreads = "GET /channels/{channel.id}/threads/archived/private"
    case joinedPrivateArchivedThreads = "GET /channels/{channel.id}/users/@me/threads/archived/private"
    case threadMembers = "GET /channels/{channel.id}/thread-members"
    case channelWebhooks = "GET /channels/{channel.id}/webhooks"
    case createWebhook = "POST /channels/{channel.id}/webhooks"
    case executeWebhook = "POST /webhooks/{webhook.id}/{webhook.token}"
    case editPermissions = "PUT /channels/{channel.id}/permissions/{overwrite.id}"
    case refreshAttachmentURLs = "POST /attachments/refresh-urls"

    /// Path pattern: literals, `#` for a snowflake, `*` for any segment.
    var pattern: (method: String, segments: [String]) {
        let parts = rawValue.split(separator: " ")
        let segments = parts[1].split(separator: "/").map { segment -> String in
            if segment == "{emoji}" || segment == "{webhook.token}" { return "*" }
            return segment.hasPrefix("{") ? "#" : String(segment)
        }
        return (String(parts[0]), segments)
    }

    /// The rate-limit bucket name.
    var bucket: String {
        switch self {
        case .currentUser: "user"
        case .currentUserGuilds: "guilds"
        case .currentApplication: "application"
        case .gatewayBot, .gateway: "gateway"
        case .guild: "guild"
        case .guildChannels: "guildChannels"
        case .createGuildChannel: "channelCreate"
        case .guildRoles: "roles"
        case .createGuildRole: "roleCreate"
        // Emoji routes share a per-guild limit (§2); the single-object routes ride on their list's bucket.
        case .guildEmojis, .guildEmoji: "emojis"
        case .guildStickers, .guildSticker: "stickers"
        case .guildEvents, .guildEvent: "events"
        case .guildEventUsers: "eventUsers"
        case .guildMembers: "members"
        case .guildMember: "member"
        case .activeThreads: "activeThreads"
        case .channel: "channel"
        case .messages: "messages"
        case .createMessage: "messageCreate"
        case .message: "message"
        case .deleteMessage: "messageDelete"
        case .pins, .legacyPins: "pins"
        case .reactionUsers: "reactions"
        case .publicArchivedThreads, .privateArchivedThreads, .joinedPrivateArchivedThreads: "threads"
        case .threadMembers: "threadMembers"
        case .channelWebhooks, .createWebhook: "webhooks"
        case .executeWebhook: "webhookExecute"
        case .editPermissions: "permissions"
        case .refreshAttachmentURLs: "attachmentRefresh"
        }
    }

    /// Whether the route needs no bot token.
    var isUnauthenticated: Bool { self == .gateway || self == .executeWebhook }

    static let table: [(route: Route, method: String, segments: [String])] = allCases.map {
        let pattern = $0.pattern
        return ($0, pattern.method, pattern.segments)
    }

    /// Matches a method and the path segments after `/api/vN`; returns the route, its snowflakes in order and
    /// its free segments (emoji, webhook token) raw.
    static func match(method: String, segments: [Substring]) -> (Route, [UInt64], [Substring])? {
        outer: for entry in table where entry.segments.count == segments.count {
            var ids: [UInt64] = []
            var free: [Substring] = []
            for (pattern, segment) in zip(entry.segments, segments) {
                switch pattern {
                case "#":
                    guard let value = UInt64(segment) else { continue outer }
                    ids.append(value)
                case "*": free.append(segment)
                default: guard pattern == segment else { continue outer }
                }
            }
            if entry.method == method { return (entry.route, ids, free) }
        }
        return nil
    }

    /// Whether some route has this path with another method (for 405).
    static func pathExists(segments: [Substring]) -> Bool {
        table.contains { entry in
            entry.segments.count == segments.count
                && zip(entry.segments, segments).allSatisfy { pattern, segment in
                    pattern == "*" || (pattern == "#" ? UInt64(segment) != nil : pattern == segment)
                }
        }
    }
}
