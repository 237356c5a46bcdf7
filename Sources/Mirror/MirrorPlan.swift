import DiscordModels
import Foundation

/// What a mirror will create and send: roles, channels (categories first) and per channel the messages still
/// to send. Built by ``MirrorPlanner`` from the archive and the mappings of earlier runs.
public struct MirrorPlan: Sendable {
    /// A role to create.
    public struct RoleItem: Sendable, Hashable {
        /// The source role id.
        public var sourceId: UInt64
        /// The name.
        public var name: String
        /// The colour.
        public var color: Int
        /// The source permission bits (masked when sent).
        public var permissions: UInt64
        /// The source position (orders the reorder).
        public var position: Int
        /// Hoisted.
        public var hoist: Bool
        /// Mentionable.
        public var mentionable: Bool
        /// The target id when an earlier run made it.
        public var targetId: UInt64?
    }

    /// A channel to create (or already made) and its messages.
    public struct ChannelItem: Sendable, Hashable {
        /// The source channel or thread id.
        public var sourceId: UInt64
        /// The name to give.
        public var name: String
        /// The target type (0 text, 2 voice, 4 category; on a target that keeps types, the source's, threads
        /// included).
        public var type: Int
        /// The source type.
        public var sourceType: Int
        /// The topic.
        public var topic: String?
        /// The source category id (a thread's parent channel on a target that keeps threads).
        public var parentSourceId: UInt64?
        /// Source role overwrites: (source role id, allow, deny). Member overwrites are skipped.
        public var roleOverwrites: [RoleOverwrite]
        /// Live archived messages.
        public var messageCount: Int
        /// Messages not yet (completely) sent.
        public var pendingMessages: Int
        /// Characters still to send.
        public var pendingBytes: Int
        /// Pinned messages whose copy is not pinned yet.
        public var pendingPins = 0
        /// The target id when an earlier run made it.
        public var targetId: UInt64?
        /// The source channel is NSFW (age-restricted).
        public var nsfw = false
        /// The source's slowmode (`rate_limit_per_user`, seconds).
        public var slowmode = 0
        /// Whether an earlier run applied ``nsfw`` and ``slowmode`` on the target (``MirrorEngine``'s last step).
        public var settingsApplied = false

        /// Whether ``nsfw`` or ``slowmode`` remain to be set on the target: Fluxer takes neither at creation
        /// (fluxer-api.md §3.2), so they are patched after the channel's messages and pins.
        public var needsSettings: Bool { !settingsApplied && (nsfw || slowmode > 0) }
    }

    /// One role overwrite of a source channel.
    public struct RoleOverwrite: Sendable, Hashable {
        /// The source role id (the guild id for @everyone).
        public var roleId: UInt64
        /// Allowed bits.
        public var allow: UInt64
        /// Denied bits.
        public var deny: UInt64
    }

    /// A custom emoji or sticker to re-upload (fluxer-api.md §3.4, §6).
    public struct ExpressionItem: Sendable, Hashable {
        /// `emoji` or `sticker`.
        public var kind: String
        /// The source id.
        public var sourceId: UInt64
        /// The source name.
        public var name: String
        /// An animated emoji (a GIF).
        public var animated = false
        /// A sticker's format (1 PNG, 2 APNG, 3 Lottie, 4 GIF).
        public var format = 1
        /// A sticker's description.
        public var description: String?
        /// A sticker's tags (Discord: one comma-separated string).
        public var tags: String?
        /// The target id when an earlier run made it.
        public var targetId: UInt64?

        /// The source CDN path of its image (`emojis/1.png`), or nil for a Lottie sticker (the target takes PNG
        /// or GIF only).
        public var imagePath: String? {
            if kind == "emoji" { return "emojis/\(sourceId).\(animated ? "gif" : "png")" }
            switch format {
            case 3: return nil
            case 4: return "stickers/\(sourceId).gif"
            default: return "stickers/\(sourceId).png"
            }
        }
    }

    /// The source guild.
    public var sourceGuild: UInt64
    /// The target key in the mappings (`fluxer:<guild>`).
    public var target: String
    /// Roles lowest first.
    public var roles: [RoleItem]
    /// Channels in creation order (categories first, then children, threads last).
    public var channels: [ChannelItem]
    /// Custom emojis, then stickers, oldest first.
    public var expressions: [ExpressionItem] = []
    /// Only messages with an id at or above this one are sent (`--after`), or all when nil.
    public var after: UInt64?

    /// The exclusive cursor the message walks start from.
    var messageCursor: Snowflake<Message>? {
        guard let after, after > 0 else { return nil }
        return Snowflake(after - 1)
    }

    /// Messages still to send.
    public var pendingMessages: Int { channels.reduce(0) { $0 + $1.pendingMessages } }
    /// Characters still to send.
    public var pendingBytes: Int { channels.reduce(0) { $0 + $1.pendingBytes } }

    /// The estimated duration at the target's rate limits: Fluxer's (``estimatedFluxerSeconds``) or, for a
    /// `discord:` target, Discord's (``estimatedDiscordSeconds``).
    public var estimatedSeconds: Double {
        target.hasPrefix("discord:") ? estimatedDiscordSeconds : estimatedFluxerSeconds
    }

    /// The estimated duration from Fluxer's limits (fluxer-api.md §2): roles and channels 10/60 s, one webhook
    /// 60/60 s per channel (exempt from the global limit), channels in parallel.
    public var estimatedFluxerSeconds: Double {
        let roles = Double(self.roles.filter { $0.targetId == nil }.count)
        let channels = Double(self.channels.filter { $0.targetId == nil }.count)
        let structure = (max(0, roles - 10) / 10 + max(0, channels - 10) / 10) * 60
        let slowest = Double(self.channels.map(\.pendingMessages).max() ?? 0)
        return structure + max(0, slowest - 60)
    }

    /// The estimated duration from Discord's limits as clients observe them (Discord documents no figures; these
    /// are ``MirrorWarmStart/Limit``'s): roles 250 per 48 h, channels 5 per 5 s per guild, emojis and stickers 5
    /// per 5 s per guild each, threads 5 per 5 s per parent channel, webhook executes 5 per 2 s per webhook (a thread or forum post writes through its parent's
    /// webhook, so they share its bucket), pins 5 per 5 s per channel, and at most 50 requests per second in all.
    public var estimatedDiscordSeconds: Double {
        func wait(_ count: Int, _ limit: MirrorWarmStart.Limit) -> Double {
            // The first window's worth goes at once, then one window per `limit` more.
            (Double(max(0, count - limit.limit)) / Double(limit.limit)).rounded(.up) * limit.window
        }
        let threadTypes: Set<Int> = [10, 11, 12]
        // Thread creates and pins: the simulator's buckets, 5 per 5 s per channel.
        let perChannel = MirrorWarmStart.Limit(limit: 5, window: 5)
        let newRoles = roles.filter { $0.targetId == nil }.count
        let newChannels = channels.filter { $0.targetId == nil && !threadTypes.contains($0.type) }
        let forums = Set(channels.filter { [15, 16].contains($0.type) }.map(\.sourceId))
        // Threads made by `POST /channels/{c}/threads`, per parent (forum posts start with their first message).
        var threadsPerParent: [UInt64: Int] = [:]
        // Messages and pins per webhook (a thread's host is its parent channel).
        var messagesPerHost: [UInt64: Int] = [:]
        var requests = newRoles + newChannels.count
        for channel in channels {
            var host = channel.sourceId
            if threadTypes.contains(channel.type), let parent = channel.parentSourceId {
                host = parent
                if channel.targetId == nil && !forums.contains(parent) { threadsPerParent[parent, default: 0] += 1 }
            }
            messagesPerHost[host, default: 0] += channel.pendingMessages
            requests += channel.pendingMessages + channel.pendingPins
        }
        requests += threadsPerParent.values.reduce(0, +)
        // Emojis and stickers: 5 per 5 s per guild each (the simulator's buckets).
        let newEmojis = expressions.filter { $0.kind == "emoji" && $0.targetId == nil }.count
        let newStickers = expressions.filter { $0.kind == "sticker" && $0.targetId == nil && $0.imagePath != nil }
            .count
        requests += newEmojis + newStickers
        let structure =
            wait(newRoles, .discordRoleCreate) + wait(newChannels.count, .discordChannelCreate)
            + wait(newEmojis, perChannel) + wait(newStickers, perChannel)
            + (threadsPerParent.values.map { wait($0, perChannel) }.max() ?? 0)
        let messages = messagesPerHost.values.map { wait($0, .discordWebhookExecute) }.max() ?? 0
        let pins = channels.map { wait($0.pendingPins, perChannel) }.max() ?? 0
        return structure + max(messages + pins, Double(requests) / 50)
    }

    /// A channel type in words.
    static func kindName(_ type: Int) -> String {
        switch type {
        case 2: "voice"
        case 4: "category"
        case 5: "announcement"
        case 10, 11, 12: "thread"
        case 13: "stage"
        case 15: "forum"
        case 16: "media"
        default: "text"
        }
    }

    /// The plan in words, one line per item.
    public func describe() -> [String] {
        var lines = ["plan: mirror guild \(sourceGuild) → \(target)"]
        let newRoles = roles.filter { $0.targetId == nil }
        lines.append("roles: \(newRoles.count) to create, \(roles.count - newRoles.count) already made")
        for role in newRoles { lines.append("  + role \"\(role.name)\"") }
        let newChannels = channels.filter { $0.targetId == nil }
        lines.append("channels: \(newChannels.count) to create, \(channels.count - newChannels.count) already made")
        for channel in channels {
            let kind = Self.kindName(channel.type)
            let state = channel.targetId == nil ? "+" : "="
            lines.append(
                "  \(state) \(kind) \"\(channel.name)\": \(channel.pendingMessages) of \(channel.messageCount) messages to send"
            )
        }
        lines.append(
            "messages: \(pendingMessages) to send, \(pendingBytes) characters; estimated time "
                + "\(Int(estimatedSeconds.rounded(.up))) s at the target's rate limits")
        return lines
    }
}
