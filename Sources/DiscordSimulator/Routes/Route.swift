import Hummingbird

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
    case searchGuildMessages = "GET /guilds/{guild.id}/messages/search"
    case channel = "GET /channels/{channel.id}"
    case messages = "GET /channels/{channel.id}/messages"
    case createMessage = "POST /channels/{channel.id}/messages"
    case message = "GET /channels/{channel.id}/messages/{message.id}"
    case deleteMessage = "DELETE /channels/{channel.id}/messages/{message.id}"
    case pins = "GET /channels/{channel.id}/messages/pins"
    case legacyPins = "GET /channels/{channel.id}/pins"
    case reactionUsers = "GET /channels/{channel.id}/messages/{message.id}/reactions/{emoji}"
    case addReaction = "PUT /channels/{channel.id}/messages/{message.id}/reactions/{emoji}/@me"
    case publicArchivedThreads = "GET /channels/{channel.id}/threads/archived/public"
    case privateArchivedThreads = "GET /channels/{channel.id}/threads/archived/private"
    case joinedPrivateArchivedThreads = "GET /channels/{channel.id}/users/@me/threads/archived/private"
    case threadMembers = "GET /channels/{channel.id}/thread-members"
    case channelWebhooks = "GET /channels/{channel.id}/webhooks"
    case createWebhook = "POST /channels/{channel.id}/webhooks"
    case executeWebhook = "POST /webhooks/{webhook.id}/{webhook.token}"
    case editPermissions = "PUT /channels/{channel.id}/permissions/{overwrite.id}"
    case refreshAttachmentURLs = "POST /attachments/refresh-urls"
    // Writes a cloner needs (discord-api.md §3.5), in SimulatorResponder+CloneWrites.swift.
    case modifyRolePositions = "PATCH /guilds/{guild.id}/roles"
    case createGuildEmoji = "POST /guilds/{guild.id}/emojis"
    case createGuildSticker = "POST /guilds/{guild.id}/stickers"
    case pinMessage = "PUT /channels/{channel.id}/messages/pins/{message.id}"
    case legacyPinMessage = "PUT /channels/{channel.id}/pins/{message.id}"
    case unpinMessage = "DELETE /channels/{channel.id}/messages/pins/{message.id}"
    case legacyUnpinMessage = "DELETE /channels/{channel.id}/pins/{message.id}"
    case startThread = "POST /channels/{channel.id}/threads"

    /// The HTTP method.
    var method: HTTPRequest.Method {
        HTTPRequest.Method(String(rawValue.prefix { $0 != " " }))!
    }

    /// The path under `/api/vN` in the router's syntax: literals and `{name}` parameters.
    var path: String { String(rawValue.drop { $0 != " " }.dropFirst()) }

    /// The path's parameters in order; those named `….id` are snowflakes, the others (emoji, webhook token) free
    /// text.
    var parameters: [String] {
        path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
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
        // Search is paced on its own, per guild (the spec gives the route its own rate-limit headers; no figure is
        // documented, so RateLimitTable's is the simulator's choice).
        case .searchGuildMessages: "search"
        case .channel: "channel"
        case .messages: "messages"
        case .createMessage: "messageCreate"
        case .message: "message"
        case .deleteMessage: "messageDelete"
        case .pins, .legacyPins: "pins"
        case .reactionUsers: "reactions"
        // Reacting is paced far tighter than reading; the docs give no figure, so one per 0.25 s per channel is the
        // simulator's choice (RateLimitTable).
        case .addReaction: "reactionWrite"
        case .publicArchivedThreads, .privateArchivedThreads, .joinedPrivateArchivedThreads: "threads"
        case .threadMembers: "threadMembers"
        case .channelWebhooks, .createWebhook: "webhooks"
        case .executeWebhook: "webhookExecute"
        case .editPermissions: "permissions"
        case .refreshAttachmentURLs: "attachmentRefresh"
        case .modifyRolePositions: "rolePositions"
        case .createGuildEmoji: "emojis"
        case .createGuildSticker: "stickers"
        case .pinMessage, .legacyPinMessage, .unpinMessage, .legacyUnpinMessage: "pinWrite"
        case .startThread: "threadCreate"
        }
    }

    /// Whether the route needs no bot token.
    var isUnauthenticated: Bool { self == .gateway || self == .executeWebhook }
}
