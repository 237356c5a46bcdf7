import Crypto
import DiscordModels

extension SimulatorServer {
    /// Every channel and thread of a guild, generated and created at runtime (a clone's target), as the first bot
    /// sees them.
    public func truthGuildChannels(_ guild: Snowflake<Guild>) async -> [TruthChannel] {
        guard let index = world.guildIndexById[guild.rawValue] else { return [] }
        var channels: [TruthChannel] = []
        for (channel, _) in await state.guildChannels(index) + state.guildThreads(index) {
            if let truth = await truthChannel(Snowflake(channel.id)) { channels.append(truth) }
        }
        return channels
    }

    /// Every live message of a channel, oldest first, as a clone check compares them: text, author, pin, reply and
    /// uploaded files (what `GET /__sim/truth/channels/{c}/messages` also reports).
    public func truthMessages(channel: Snowflake<DiscordModels.Channel>) async -> [TruthMessage] {
        guard let view = await state.view(channel.rawValue) else { return [] }
        var messages: [TruthMessage] = []
        for position in view.positionsAscending(from: 0, limit: Int.max) {
            let message = view.message(at: position)
            var files: [TruthMessage.File] = []
            for attachment in message.attachments {
                let bytes = await state.upload(attachment.id)
                files.append(
                    .init(
                        filename: attachment.filename, size: attachment.size,
                        sha256: bytes.map { SHA256.hash(data: $0).map { String(format: "%02x", $0) }.joined() }))
            }
            messages.append(
                TruthMessage(
                    id: Snowflake(message.id), content: message.content, webhookId: message.webhookId,
                    username: message.authorName, pinned: message.pinned,
                    replyTo: message.type == 19 ? message.reference?.messageId : nil, files: files))
        }
        return messages
    }
}

/// Ground truth about one message (see `SimulatorServer.truthMessages`).
public struct TruthMessage: Sendable, Hashable {
    /// An attachment: its name, size and, for uploaded bytes, their SHA-256 (hex).
    public struct File: Sendable, Hashable {
        /// The file name.
        public var filename: String
        /// The size in bytes.
        public var size: Int
        /// The SHA-256 of uploaded bytes; nil for generated attachments.
        public var sha256: String?
    }

    /// The id.
    public var id: Snowflake<DiscordModels.Message>
    /// The content.
    public var content: String
    /// The webhook that posted it.
    public var webhookId: UInt64?
    /// The author name a webhook post gave.
    public var username: String?
    /// Whether pinned.
    public var pinned: Bool
    /// The message it replies to.
    public var replyTo: UInt64?
    /// Its attachments.
    public var files: [File]
}
