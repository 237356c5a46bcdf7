import Foundation

/// A message as the archive indexes it: the fields it keeps in columns (ids, author, timestamps, type, flags,
/// reference, attachment and reaction summaries) read straight from the JSON bytes by ``JSONScanner``, beside those
/// exact bytes. The archive's hot path works on these instead of decoding a full ``Message``.
///
/// ```swift
/// let page = try IndexedMessage.page(body)          // one REST page, each element's exact bytes kept
/// let one = try IndexedMessage(json: elementBytes)
/// ```
public struct IndexedMessage: Sendable {
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

    /// The message id.
    public var id: Snowflake<Message>
    /// The channel id.
    public var channelId: Snowflake<Channel>
    /// The guild id, when the payload names one (REST messages do not).
    public var guildId: Snowflake<Guild>?
    /// The author's id.
    public var authorId: Snowflake<User>?
    /// Whether a webhook sent it (its author is then not a real user).
    public var isWebhook: Bool
    /// The ids of the mentioned users, in order.
    public var mentionIds: [Snowflake<User>]
    /// Where the `timestamp` text is in ``json`` (read it as ``timestamp``).
    public var timestampText: IndexedText
    /// Where the `edited_timestamp` text is in ``json`` (`nil` if never edited; read it as ``editedTimestamp``).
    public var editedTimestampText: IndexedText?
    /// The message type's raw value (0 when absent).
    public var type: Int
    /// The flags (0 when absent).
    public var flags: Int
    /// Where the content is in ``json`` (`nil` when absent; read it as ``content``).
    public var contentText: IndexedText?
    /// Whether it is pinned (false when absent).
    public var pinned: Bool
    /// `message_reference.message_id`.
    public var referenceMessageId: Snowflake<Message>?
    /// `message_reference.channel_id`.
    public var referenceChannelId: Snowflake<Channel>?
    /// `message_reference.guild_id`.
    public var referenceGuildId: Snowflake<Guild>?
    /// The attachments.
    public var attachments: [AttachmentSummary]
    /// The reactions (`nil` when the payload has none).
    public var reactions: [ReactionSummary]?
    /// The JSON text exactly as received (from a REST page, a slice of the page's bytes: index it from its
    /// `startIndex`, or read it through `withUnsafeBytes`). The texts' places and ``authorRange`` count from its
    /// start: other bytes put here leave them pointing into those.
    public var json: Data {
        // Other bytes are not what the scanner checked.
        didSet { isKnownUTF8 = false }
    }
    /// Whether the scanner that indexed the message (``page(_:)``, ``init(json:)``) found ``json`` to be well-formed
    /// UTF-8 (checked right after scanning it, its bytes still in the cache): a store need not check it again. Only the scanner
    /// sets it, and setting ``json`` clears it: a message made any other way (a decoded model, a live event, one
    /// built by hand) is checked by the store.
    public internal(set) var isKnownUTF8 = false
    /// The byte range of the `author` object in ``json`` (offsets from its start), when the message has one: a
    /// store may keep that object once for every message that shows it byte for byte.
    public var authorRange: Range<Int>? = nil

    /// The `timestamp` text exactly as sent (made from ``json`` at each call: the hot path binds
    /// ``timestampText``'s bytes instead).
    public var timestamp: String { timestampText.string(in: json) }
    /// The `edited_timestamp` text exactly as sent (`nil` if never edited).
    public var editedTimestamp: String? { editedTimestampText?.string(in: json) }
    /// The content ("" when absent).
    public var content: String { contentText?.string(in: json) ?? "" }
}

extension IndexedMessage: Hashable {
    /// Whether two messages index the same: their bytes, and every indexed field by value (a text read from the
    /// bytes equals the same text given as a `String`).
    public static func == (lhs: IndexedMessage, rhs: IndexedMessage) -> Bool {
        lhs.id == rhs.id && lhs.channelId == rhs.channelId && lhs.guildId == rhs.guildId
            && lhs.authorId == rhs.authorId && lhs.isWebhook == rhs.isWebhook && lhs.mentionIds == rhs.mentionIds
            && lhs.type == rhs.type && lhs.flags == rhs.flags && lhs.pinned == rhs.pinned
            && lhs.referenceMessageId == rhs.referenceMessageId && lhs.referenceChannelId == rhs.referenceChannelId
            && lhs.referenceGuildId == rhs.referenceGuildId && lhs.attachments == rhs.attachments
            && lhs.reactions == rhs.reactions && lhs.json == rhs.json && lhs.authorRange == rhs.authorRange
            && lhs.timestamp == rhs.timestamp && lhs.editedTimestamp == rhs.editedTimestamp
            && lhs.content == rhs.content
    }

    /// Hashes the message's identity and bytes (consistent with ``==(_:_:)``).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(channelId)
        hasher.combine(json)
    }
}

extension IndexedMessage {
    /// Indexes a decoded message (its model is authoritative; its bytes are kept as they are).
    public init(_ decoded: Decoded<Message>) {
        let value = decoded.value
        // The texts are located in the bytes when the bytes say what the model says (they do, unless the model was
        // made apart from its bytes); else the model's text is kept.
        let scanned = try? Self.scanningTexts(of: decoded.json)
        func text(_ model: String, _ located: IndexedText?) -> IndexedText {
            if let located, located.string(in: decoded.json) == model { return located }
            return IndexedText(model)
        }
        id = value.id
        channelId = value.channelId
        guildId = value.guildId
        authorId = value.author?.id
        isWebhook = value.webhookId != nil
        mentionIds = value.mentions.map(\.id)
        timestampText = text(value.timestamp.rawValue, scanned?.timestampText)
        editedTimestampText = value.editedTimestamp.map { text($0.rawValue, scanned?.editedTimestampText) }
        type = value.type.rawValue
        flags = value.flags ?? 0
        contentText = text(value.content, scanned?.contentText)
        pinned = value.pinned ?? false
        referenceMessageId = value.messageReference?.messageId
        referenceChannelId = value.messageReference?.channelId
        referenceGuildId = value.messageReference?.guildId
        attachments = value.attachments.map {
            AttachmentSummary(
                id: $0.id, filename: $0.filename, size: $0.size, contentType: $0.contentType, url: $0.url,
                proxyURL: $0.proxyURL)
        }
        reactions = value.reactions?.map {
            ReactionSummary(
                emojiId: $0.emoji.id, emojiName: $0.emoji.name, count: $0.count, normalCount: $0.countDetails?.normal,
                burstCount: $0.countDetails?.burst)
        }
        json = decoded.json
        authorRange = JSONScanner.memberRange("author", in: decoded.json)
    }
}
