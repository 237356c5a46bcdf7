import Foundation

/// What the mirror needs of one archived message.
public struct MirrorSourceMessage: Sendable, Hashable {
    /// The source id.
    public var id: UInt64
    /// The text.
    public var content: String
    /// The author's display name (≤ 80 characters).
    public var authorName: String
    /// A public URL of the author's avatar.
    public var avatarURL: String?
    /// When it was sent.
    public var timestamp: Date
    /// The replied-to message's author, for a quoted reply.
    public var replyToAuthor: String?
    /// Attachments listed in the text (not uploaded): their names, or name, note and link.
    public var attachmentNames: [String]
    /// Names of stickers.
    public var stickerNames: [String]
    /// For messages without text: what kind of message it was.
    public var typeName: String
    /// The replied-to message's source id (a reply in the same channel).
    public var replyToId: UInt64?
    /// The start of the replied-to message's text, for a quoted reply.
    public var replyExcerpt: String?
    /// Whether the message is pinned in the source.
    public var pinned = false
    /// How many of its attachments are uploaded with it (those are not listed in the text).
    public var uploadCount = 0

    /// Makes a message.
    public init(
        id: UInt64, content: String, authorName: String, avatarURL: String?, timestamp: Date,
        replyToAuthor: String? = nil, attachmentNames: [String] = [], stickerNames: [String] = [],
        typeName: String = "message"
    ) {
        self.id = id
        self.content = content
        self.authorName = authorName
        self.avatarURL = avatarURL
        self.timestamp = timestamp
        self.replyToAuthor = replyToAuthor
        self.attachmentNames = attachmentNames
        self.stickerNames = stickerNames
        self.typeName = typeName
    }

    /// Reads the archived JSON of a message.
    public init(id: UInt64, timestamp: Date, content: String, json: Data) {
        let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] ?? [:]
        let author = object["author"] as? [String: Any] ?? [:]
        let name = (author["global_name"] as? String) ?? (author["username"] as? String) ?? "unknown"
        var avatar: String?
        if let hash = author["avatar"] as? String, let userId = author["id"] as? String {
            avatar = "https://cdn.discordapp.com/avatars/\(userId)/\(hash).png"
        }
        let referenced = object["referenced_message"] as? [String: Any]
        let replyAuthor = (referenced?["author"] as? [String: Any])?["username"] as? String
        let attachments = (object["attachments"] as? [[String: Any]] ?? []).compactMap { $0["filename"] as? String }
        let stickers = (object["sticker_items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        let type = object["type"] as? Int ?? 0
        let reference = object["message_reference"] as? [String: Any]
        let replyId = (reference?["message_id"] as? String).flatMap(UInt64.init)
        self.init(
            id: id, content: content, authorName: String(name.prefix(80)), avatarURL: avatar, timestamp: timestamp,
            replyToAuthor: replyAuthor, attachmentNames: attachments, stickerNames: stickers,
            typeName: type == 0 ? "message" : "message of type \(type)")
        if type == 19 { replyToId = replyId }
        if let text = referenced?["content"] as? String, !text.isEmpty {
            let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            replyExcerpt = line.count > 100 ? String(line.prefix(99)) + "…" : line
        }
        pinned = object["pinned"] as? Bool ?? false
    }
}
