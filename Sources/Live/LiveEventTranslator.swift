import ArchiveStore
import DiscordGateway
import DiscordModels
import Foundation

/// Turns a dispatch frame into a ``LiveEvent``: pure, no I/O. The payload (`d`) keeps its exact bytes, so the
/// archive stores what Discord sent.
public enum LiveEventTranslator {
    struct Envelope: Decodable {
        var id: Snowflake<AnyTag>?
        var ids: [Snowflake<Message>]?
        var channelId: Snowflake<Channel>?
        var guildId: Snowflake<Guild>?
        var unavailable: Bool?
        var guilds: [GuildStub]?
        var messageId: Snowflake<Message>?
        var emoji: Emoji?
        var burst: Bool?

        struct GuildStub: Decodable { var id: Snowflake<Guild> }

        enum CodingKeys: String, CodingKey {
            case id, ids, unavailable, guilds, emoji, burst
            case messageId = "message_id"
            case channelId = "channel_id"
            case guildId = "guild_id"
        }
    }

    /// The event a dispatch carries.
    /// - Throws: when a payload the archive keeps is malformed.
    public static func translate(_ dispatch: GatewayDispatch) throws -> LiveEvent {
        let kept: Set<String> = [
            "MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "MESSAGE_DELETE_BULK", "CHANNEL_CREATE",
            "CHANNEL_UPDATE", "CHANNEL_DELETE", "THREAD_CREATE", "THREAD_UPDATE", "THREAD_DELETE", "GUILD_CREATE",
            "GUILD_DELETE", "READY", "MESSAGE_REACTION_ADD", "GUILD_UPDATE", "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE",
            "GUILD_EMOJIS_UPDATE", "GUILD_STICKERS_UPDATE", "MESSAGE_REACTION_REMOVE", "MESSAGE_REACTION_REMOVE_ALL",
            "MESSAGE_REACTION_REMOVE_EMOJI", "GUILD_ROLE_DELETE", "THREAD_LIST_SYNC", "CHANNEL_PINS_UPDATE",
            "GUILD_SCHEDULED_EVENT_CREATE", "GUILD_SCHEDULED_EVENT_UPDATE", "GUILD_SCHEDULED_EVENT_DELETE",
            "GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE",
        ]
        guard kept.contains(dispatch.name), let data = JSONScanner.member("d", in: dispatch.frame) else {
            return .ignored
        }
        let envelope = try JSONDecoder().decode(Envelope.self, from: data)
        switch dispatch.name {
        case "MESSAGE_CREATE":
            return .messageCreated(try Decoded<Message>(decoding: data), guild: envelope.guildId)
        case "MESSAGE_UPDATE":
            if let message = try? Decoded<Message>(decoding: data) {
                return .messageUpdated(message, guild: envelope.guildId)
            }
            // A partial update (only what changed, e.g. an embed unfurled; the reference: tolerate missing keys) is
            // not a message to store: read the message again. It was ignored, and the change was lost.
            guard let id = envelope.id, let channel = envelope.channelId else { return .ignored }
            return .messageChanged(Snowflake(id.rawValue), channel: channel, guild: envelope.guildId)
        case "MESSAGE_REACTION_REMOVE", "MESSAGE_REACTION_REMOVE_ALL", "MESSAGE_REACTION_REMOVE_EMOJI":
            // No counts in the event: read the message again (it was ignored, and the counts stayed too high).
            guard let message = envelope.messageId, let channel = envelope.channelId else { return .ignored }
            return .messageChanged(message, channel: channel, guild: envelope.guildId)
        case "CHANNEL_PINS_UPDATE":
            // It was ignored: a pin or an unpin seen live left the archive's pins as the backfill saw them.
            guard let channel = envelope.channelId else { return .ignored }
            return .pinsChanged(channel: channel, guild: envelope.guildId)
        case "GUILD_ROLE_DELETE":
            guard let guild = envelope.guildId else { return .ignored }
            return .rolesChanged(guild: guild)
        case "GUILD_SCHEDULED_EVENT_CREATE", "GUILD_SCHEDULED_EVENT_UPDATE", "GUILD_SCHEDULED_EVENT_DELETE":
            // They were ignored: an event created, changed or cancelled while watching waited for the next archive.
            guard let guild = envelope.guildId else { return .ignored }
            return .scheduledEventsChanged(guild: guild)
        case "GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE":
            // They were ignored: an archive made with `--members` went stale until the next `archive --members`.
            // The payload is a guild member object plus `guild_id` (discord-api-docs, gateway-events.mdx).
            guard let guild = envelope.guildId else { return .ignored }
            let member = try Decoded<GuildMember>(decoding: data)
            guard member.value.user != nil else { return .ignored }
            return .memberChanged(member, guild: guild)
        case "GUILD_MEMBER_REMOVE":
            guard let guild = envelope.guildId, let user = JSONScanner.member("user", in: data) else { return .ignored }
            return .memberLeft(try Decoded<User>(decoding: user), guild: guild)
        case "THREAD_LIST_SYNC":
            guard let list = JSONScanner.member("threads", in: data) else { return .ignored }
            return .threadsSynced(try Decoded<Channel>.decodeArray(list), guild: envelope.guildId)
        case "MESSAGE_DELETE":
            guard let id = envelope.id, let channel = envelope.channelId else { return .ignored }
            return .messagesDeleted([Snowflake(id.rawValue)], channel: channel, guild: envelope.guildId)
        case "MESSAGE_DELETE_BULK":
            guard let ids = envelope.ids, let channel = envelope.channelId else { return .ignored }
            return .messagesDeleted(ids, channel: channel, guild: envelope.guildId)
        case "MESSAGE_REACTION_ADD":
            guard let message = envelope.messageId, let channel = envelope.channelId, let emoji = envelope.emoji else {
                return .ignored
            }
            let user = JSONScanner.member("member", in: data)
                .flatMap { JSONScanner.member("user", in: $0) }
                .flatMap { try? Decoded<User>(decoding: $0) }
            return .reactionAdded(
                message: message, channel: channel, guild: envelope.guildId, emoji: emoji,
                burst: envelope.burst ?? false, user: user)
        case "GUILD_UPDATE":
            let guild = try Decoded<Guild>(decoding: data)
            return .structureChanged([.upsert(.guild(guild))], guild: guild.value.id)
        case "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE":
            guard let guild = envelope.guildId, let role = JSONScanner.member("role", in: data) else {
                return .ignored
            }
            return .structureChanged([.upsert(.role(try Decoded<Role>(decoding: role), guild: guild))], guild: guild)
        case "GUILD_EMOJIS_UPDATE":
            guard let guild = envelope.guildId, let list = JSONScanner.member("emojis", in: data) else {
                return .ignored
            }
            let rows = try Decoded<Emoji>.decodeArray(list).compactMap { ObjectRow.emoji($0, guild: guild) }
            return .structureChanged(
                rows.map { .upsert($0) } + [
                    .tombstoneMissing(.emoji, guild: guild, keeping: rows.map(\.id), onlyNonThreads: false)
                ],
                guild: guild)
        case "GUILD_STICKERS_UPDATE":
            guard let guild = envelope.guildId, let list = JSONScanner.member("stickers", in: data) else {
                return .ignored
            }
            let rows = try Decoded<Sticker>.decodeArray(list).map { ObjectRow.sticker($0, guild: guild) }
            return .structureChanged(
                rows.map { .upsert($0) } + [
                    .tombstoneMissing(.sticker, guild: guild, keeping: rows.map(\.id), onlyNonThreads: false)
                ],
                guild: guild)
        case "CHANNEL_CREATE", "CHANNEL_UPDATE", "THREAD_CREATE", "THREAD_UPDATE":
            return .channelChanged(try Decoded<Channel>(decoding: data))
        case "CHANNEL_DELETE", "THREAD_DELETE":
            guard let id = envelope.id else { return .ignored }
            return .channelDeleted(Snowflake(id.rawValue), guild: envelope.guildId)
        case "GUILD_CREATE":
            guard let id = envelope.id, envelope.unavailable != true else { return .ignored }
            return .guildAvailable(Snowflake(id.rawValue))
        case "GUILD_DELETE":
            guard let id = envelope.id else { return .ignored }
            // `unavailable: true` is an outage; without it the bot was removed.
            return envelope.unavailable == true ? .ignored : .guildLeft(Snowflake(id.rawValue))
        case "READY":
            return .ready(guilds: envelope.guilds?.map(\.id) ?? [])
        default:
            return .ignored
        }
    }
}
