import Foundation

/// A message as the archive indexes it: the fields it keeps in columns (ids, author, timestamps, type, flags,
/// reference, attachment and reaction summaries) read straight from the JSON bytes by ``JSONScanner``, beside those
/// exact bytes. The archive's hot path works on these instead of decoding a full ``Message``.
///
/// ```swift
/// let page = try IndexedMessage.page(body)          // one REST page, each element's exact bytes kept
/// let one = try IndexedMessage(json: elementBytes)
/// ```
public struct IndexedMessage: Sendable, Hashable {
    /// An attachment as the archive indexes it.
    public struct AttachmentSummary: Sendable, Hashable {
        /// The attachment id.
        public var id: Snowflake<Attachment>
        /// The file name.
        public var filename: String
        /// The size in bytes.
        public var size: Int
        /// The media type, when given.
        public var contentType: String?
        /// The CDN URL.
        public var url: String
        /// The media proxy URL.
        public var proxyURL: String

        /// The summary as an ``Attachment`` model (only these fields set).
        public var attachment: Attachment {
            Attachment(id: id, filename: filename, contentType: contentType, size: size, url: url, proxyURL: proxyURL)
        }
    }

    /// A reaction as the archive indexes it.
    public struct ReactionSummary: Sendable, Hashable {
        /// The custom emoji's id.
        public var emojiId: Snowflake<Emoji>?
        /// The emoji's name or Unicode text.
        public var emojiName: String?
        /// The total count.
        public var count: Int
        /// Normal reactions, when Discord gave the details.
        public var normalCount: Int?
        /// Super reactions, when Discord gave the details.
        public var burstCount: Int?
    }

    /// The fields, in one reference-counted box: a page's messages are copied into plans, groups and writes, and a
    /// copy of the box is one retain where a struct of these fields took one per string, array and `Data` (about a
    /// dozen); written through ``uniqueFields`` (copy on write).
    private var fields: Fields

    /// The message id.
    public var id: Snowflake<Message> {
        get { fields.id }
        _modify { yield &uniqueFields.id }
        set { uniqueFields.id = newValue }
    }
    /// The channel id.
    public var channelId: Snowflake<Channel> {
        get { fields.channelId }
        _modify { yield &uniqueFields.channelId }
        set { uniqueFields.channelId = newValue }
    }
    /// The guild id, when the payload names one (REST messages do not).
    public var guildId: Snowflake<Guild>? {
        get { fields.guildId }
        _modify { yield &uniqueFields.guildId }
        set { uniqueFields.guildId = newValue }
    }
    /// The author's id.
    public var authorId: Snowflake<User>? {
        get { fields.authorId }
        _modify { yield &uniqueFields.authorId }
        set { uniqueFields.authorId = newValue }
    }
    /// Whether a webhook sent it (its author is then not a real user).
    public var isWebhook: Bool {
        get { fields.isWebhook }
        _modify { yield &uniqueFields.isWebhook }
        set { uniqueFields.isWebhook = newValue }
    }
    /// The ids of the mentioned users, in order.
    public var mentionIds: [Snowflake<User>] {
        get { fields.mentionIds }
        _modify { yield &uniqueFields.mentionIds }
        set { uniqueFields.mentionIds = newValue }
    }
    /// The `timestamp` text exactly as sent.
    public var timestamp: String {
        get { fields.timestamp }
        _modify { yield &uniqueFields.timestamp }
        set { uniqueFields.timestamp = newValue }
    }
    /// The `edited_timestamp` text exactly as sent (`nil` if never edited).
    public var editedTimestamp: String? {
        get { fields.editedTimestamp }
        _modify { yield &uniqueFields.editedTimestamp }
        set { uniqueFields.editedTimestamp = newValue }
    }
    /// The message type's raw value (0 when absent).
    public var type: Int {
        get { fields.type }
        _modify { yield &uniqueFields.type }
        set { uniqueFields.type = newValue }
    }
    /// The flags (0 when absent).
    public var flags: Int {
        get { fields.flags }
        _modify { yield &uniqueFields.flags }
        set { uniqueFields.flags = newValue }
    }
    /// The content ("" when absent).
    public var content: String {
        get { fields.content }
        _modify { yield &uniqueFields.content }
        set { uniqueFields.content = newValue }
    }
    /// Whether it is pinned (false when absent).
    public var pinned: Bool {
        get { fields.pinned }
        _modify { yield &uniqueFields.pinned }
        set { uniqueFields.pinned = newValue }
    }
    /// `message_reference.message_id`.
    public var referenceMessageId: Snowflake<Message>? {
        get { fields.referenceMessageId }
        _modify { yield &uniqueFields.referenceMessageId }
        set { uniqueFields.referenceMessageId = newValue }
    }
    /// `message_reference.channel_id`.
    public var referenceChannelId: Snowflake<Channel>? {
        get { fields.referenceChannelId }
        _modify { yield &uniqueFields.referenceChannelId }
        set { uniqueFields.referenceChannelId = newValue }
    }
    /// `message_reference.guild_id`.
    public var referenceGuildId: Snowflake<Guild>? {
        get { fields.referenceGuildId }
        _modify { yield &uniqueFields.referenceGuildId }
        set { uniqueFields.referenceGuildId = newValue }
    }
    /// The attachments.
    public var attachments: [AttachmentSummary] {
        get { fields.attachments }
        _modify { yield &uniqueFields.attachments }
        set { uniqueFields.attachments = newValue }
    }
    /// The reactions (`nil` when the payload has none).
    public var reactions: [ReactionSummary]? {
        get { fields.reactions }
        _modify { yield &uniqueFields.reactions }
        set { uniqueFields.reactions = newValue }
    }
    /// The JSON text exactly as received (from a REST page, a slice of the page's bytes: index it from its
    /// `startIndex`, or read it through `withUnsafeBytes`).
    public var json: Data {
        get { fields.json }
        _modify { yield &uniqueFields.json }
        set { uniqueFields.json = newValue }
    }
    /// The byte range of the `author` object in ``json`` (offsets from its start), when the message has one: a
    /// store may keep that object once for every message that shows it byte for byte.
    public var authorRange: Range<Int>? {
        get { fields.authorRange }
        _modify { yield &uniqueFields.authorRange }
        set { uniqueFields.authorRange = newValue }
    }

    /// A message of these fields.
    public init(
        id: Snowflake<Message>, channelId: Snowflake<Channel>, guildId: Snowflake<Guild>?, authorId: Snowflake<User>?,
        isWebhook: Bool, mentionIds: [Snowflake<User>], timestamp: String, editedTimestamp: String?, type: Int,
        flags: Int, content: String, pinned: Bool, referenceMessageId: Snowflake<Message>?,
        referenceChannelId: Snowflake<Channel>?, referenceGuildId: Snowflake<Guild>?, attachments: [AttachmentSummary],
        reactions: [ReactionSummary]?, json: Data, authorRange: Range<Int>? = nil
    ) {
        fields = Fields(
            id: id, channelId: channelId, guildId: guildId, authorId: authorId, isWebhook: isWebhook,
            mentionIds: mentionIds, timestamp: timestamp, editedTimestamp: editedTimestamp, type: type, flags: flags,
            content: content, pinned: pinned, referenceMessageId: referenceMessageId,
            referenceChannelId: referenceChannelId, referenceGuildId: referenceGuildId, attachments: attachments,
            reactions: reactions, json: json, authorRange: authorRange)
    }

    /// ``fields``, copied first when another message shares them.
    private var uniqueFields: Fields {
        mutating get {
            if !isKnownUniquelyReferenced(&fields) { fields = fields.copy() }
            return fields
        }
    }

    /// Whether both have the same fields (the same box, or equal values).
    public static func == (a: IndexedMessage, b: IndexedMessage) -> Bool {
        a.fields === b.fields
            || (a.id == b.id
                && a.channelId == b.channelId
                && a.guildId == b.guildId
                && a.authorId == b.authorId
                && a.isWebhook == b.isWebhook
                && a.mentionIds == b.mentionIds
                && a.timestamp == b.timestamp
                && a.editedTimestamp == b.editedTimestamp
                && a.type == b.type
                && a.flags == b.flags
                && a.content == b.content
                && a.pinned == b.pinned
                && a.referenceMessageId == b.referenceMessageId
                && a.referenceChannelId == b.referenceChannelId
                && a.referenceGuildId == b.referenceGuildId
                && a.attachments == b.attachments
                && a.reactions == b.reactions
                && a.json == b.json
                && a.authorRange == b.authorRange)
    }

    /// Hashes every field, as the synthesized conformance did.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(channelId)
        hasher.combine(guildId)
        hasher.combine(authorId)
        hasher.combine(isWebhook)
        hasher.combine(mentionIds)
        hasher.combine(timestamp)
        hasher.combine(editedTimestamp)
        hasher.combine(type)
        hasher.combine(flags)
        hasher.combine(content)
        hasher.combine(pinned)
        hasher.combine(referenceMessageId)
        hasher.combine(referenceChannelId)
        hasher.combine(referenceGuildId)
        hasher.combine(attachments)
        hasher.combine(reactions)
        hasher.combine(json)
        hasher.combine(authorRange)
    }

    /// The storage of ``IndexedMessage``.
    // `@unchecked Sendable`: a `Fields` is only written through `uniqueFields`, when no other message holds it,
    // so a box shared between messages (and threads) is never written.
    private final class Fields: @unchecked Sendable {
        var id: Snowflake<Message>
        var channelId: Snowflake<Channel>
        var guildId: Snowflake<Guild>?
        var authorId: Snowflake<User>?
        var isWebhook: Bool
        var mentionIds: [Snowflake<User>]
        var timestamp: String
        var editedTimestamp: String?
        var type: Int
        var flags: Int
        var content: String
        var pinned: Bool
        var referenceMessageId: Snowflake<Message>?
        var referenceChannelId: Snowflake<Channel>?
        var referenceGuildId: Snowflake<Guild>?
        var attachments: [AttachmentSummary]
        var reactions: [ReactionSummary]?
        var json: Data
        var authorRange: Range<Int>?

        init(
            id: Snowflake<Message>, channelId: Snowflake<Channel>, guildId: Snowflake<Guild>?,
            authorId: Snowflake<User>?, isWebhook: Bool, mentionIds: [Snowflake<User>], timestamp: String,
            editedTimestamp: String?, type: Int, flags: Int, content: String, pinned: Bool,
            referenceMessageId: Snowflake<Message>?, referenceChannelId: Snowflake<Channel>?,
            referenceGuildId: Snowflake<Guild>?, attachments: [AttachmentSummary], reactions: [ReactionSummary]?,
            json: Data, authorRange: Range<Int>?
        ) {
            self.id = id
            self.channelId = channelId
            self.guildId = guildId
            self.authorId = authorId
            self.isWebhook = isWebhook
            self.mentionIds = mentionIds
            self.timestamp = timestamp
            self.editedTimestamp = editedTimestamp
            self.type = type
            self.flags = flags
            self.content = content
            self.pinned = pinned
            self.referenceMessageId = referenceMessageId
            self.referenceChannelId = referenceChannelId
            self.referenceGuildId = referenceGuildId
            self.attachments = attachments
            self.reactions = reactions
            self.json = json
            self.authorRange = authorRange
        }

        func copy() -> Fields {
            Fields(
                id: id, channelId: channelId, guildId: guildId, authorId: authorId, isWebhook: isWebhook,
                mentionIds: mentionIds, timestamp: timestamp, editedTimestamp: editedTimestamp, type: type,
                flags: flags, content: content, pinned: pinned, referenceMessageId: referenceMessageId,
                referenceChannelId: referenceChannelId, referenceGuildId: referenceGuildId, attachments: attachments,
                reactions: reactions, json: json, authorRange: authorRange)
        }
    }
}

extension IndexedMessage {
    /// Indexes a decoded message (its model is authoritative; its bytes are kept as they are).
    public init(_ decoded: Decoded<Message>) {
        let value = decoded.value
        self.init(
            id: value.id, channelId: value.channelId, guildId: value.guildId, authorId: value.author?.id,
            isWebhook: value.webhookId != nil, mentionIds: value.mentions.map(\.id),
            timestamp: value.timestamp.rawValue,
            editedTimestamp: value.editedTimestamp?.rawValue, type: value.type.rawValue, flags: value.flags ?? 0,
            content: value.content, pinned: value.pinned ?? false,
            referenceMessageId: value.messageReference?.messageId,
            referenceChannelId: value.messageReference?.channelId, referenceGuildId: value.messageReference?.guildId,
            attachments: value.attachments.map {
                AttachmentSummary(
                    id: $0.id, filename: $0.filename, size: $0.size, contentType: $0.contentType, url: $0.url,
                    proxyURL: $0.proxyURL)
            },
            reactions: value.reactions?.map {
                ReactionSummary(
                    emojiId: $0.emoji.id, emojiName: $0.emoji.name, count: $0.count,
                    normalCount: $0.countDetails?.normal, burstCount: $0.countDetails?.burst)
            },
            json: decoded.json, authorRange: JSONScanner.memberRange("author", in: decoded.json))
    }
}
