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
    /// Source ids of its stickers, beside ``stickerNames`` (same order).
    public var stickerIds: [UInt64] = []
    /// How many of its stickers are sent as the target's stickers (`sticker_ids`; those are not named in the text).
    public var sentStickerCount = 0

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
        let items = object["sticker_items"] as? [[String: Any]] ?? []
        if items.allSatisfy({ $0["name"] is String }) {
            stickerIds = items.map { ($0["id"] as? String).flatMap(UInt64.init) ?? 0 }
        }
    }

    /// Sends the stickers that have a copy on the target (`copies`: source sticker id → target id) as the target's
    /// stickers, at most `limit`: they leave ``stickerNames`` and count in ``sentStickerCount``. Their target ids,
    /// in order.
    public mutating func sendStickers(copies: [UInt64: UInt64], limit: Int = 3) -> [UInt64] {
        guard !copies.isEmpty, stickerIds.count == stickerNames.count else { return [] }
        var sent: [UInt64] = []
        var names: [String] = []
        var ids: [UInt64] = []
        for (id, name) in zip(stickerIds, stickerNames) {
            if let copy = copies[id], sent.count < limit {
                sent.append(copy)
            } else {
                names.append(name)
                ids.append(id)
            }
        }
        stickerNames = names
        stickerIds = ids
        sentStickerCount += sent.count
        return sent
    }
}
