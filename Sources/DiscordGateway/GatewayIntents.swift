/// Gateway intents: which events a session receives.
public struct GatewayIntents: OptionSet, Sendable, Hashable {
    /// The raw bit field sent in IDENTIFY.
    public let rawValue: Int

    /// Wraps a bit field.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Guild, channel, thread and role events.
    public static let guilds = GatewayIntents(rawValue: 1 << 0)
    /// Member add/update/remove (privileged).
    public static let guildMembers = GatewayIntents(rawValue: 1 << 1)
    /// Emoji and sticker updates.
    public static let guildExpressions = GatewayIntents(rawValue: 1 << 3)
    /// Message create/update/delete in guilds.
    public static let guildMessages = GatewayIntents(rawValue: 1 << 9)
    /// Reaction add/remove in guilds.
    public static let guildMessageReactions = GatewayIntents(rawValue: 1 << 10)
    /// Message content, embeds, attachments and polls (privileged).
    public static let messageContent = GatewayIntents(rawValue: 1 << 15)
    /// Scheduled events.
    public static let guildScheduledEvents = GatewayIntents(rawValue: 1 << 16)

    /// What an archiver needs (99851): guilds, members, expressions, messages, reactions, content and events.
    public static let archiver: GatewayIntents = [
        .guilds, .guildMembers, .guildExpressions, .guildMessages, .guildMessageReactions, .messageContent,
        .guildScheduledEvents,
    ]
}
