import ArchiveStore
import DiscordModels
import Foundation

/// The inverse of the export's rendering (``DCERenderer/writeMessage(_:to:)``): an imported DCE object given back
/// as the Discord object it was made from, as far as DCE kept it, so `skald serve` shows and answers imported
/// history as it does archived history. The one place this mapping lives (messages, channels, guilds).
///
/// What DCE drops, an imported message cannot have: the guild `nick` (DCE folds it into `nickname`, given back as
/// `global_name` when it differs from the user name), member roles and colours, webhook ids (a webhook is a bot),
/// attachment media types and sizes in pixels, the `referenced_message` of a reply (its `message_reference` stays),
/// polls, components, reaction users and `me`, `tts`, `mention_roles`, `mention_everyone` (answered `[]` and
/// `false`) and `flags` (`0`). Mentions in `content` are the names DCE wrote (`@name`), not `<@id>`. Timestamps are
/// given back in UTC, Discord's form.
///
/// ```swift
/// let message = ImportedDiscordForm.message(imported)    // a StoredMessage with Discord's JSON
/// let channels = ImportedDiscordForm.channels(headers)   // channels, their categories and thread parents
/// ```
public enum ImportedDiscordForm {
    // MARK: Messages

    /// An imported message as a stored one: Discord's JSON and the columns read from it. Never tombstoned, no
    /// revisions of the archive's own.
    ///
    /// - Parameter mediaURLPrefix: where the archive's media folder is served (`/media/`): an asset `skald import
    ///   --media` copied there (`ab/<sha256>.<ext>`) is linked as this prefix and its path, as `url` and
    ///   `proxy_url` of an attachment and `proxy_url` of embed media (``servedLink(_:prefix:)``). `nil`: such an
    ///   asset is given its CDN address, as any other path.
    public static func message(_ imported: ImportedMessage, mediaURLPrefix: String? = nil) -> StoredMessage {
        let dce = (try? JSONValue.parse(imported.json)) ?? .object([])
        let discord = messageObject(dce, channel: imported.channelId, media: mediaURLPrefix)
        let timestamp = utc(dce["timestamp"]?.string ?? imported.timestamp) ?? DiscordTimestamp(date: imported.id.date)
        let reference = dce["reference"]
        let when = timestamp.date ?? imported.id.date
        return StoredMessage(
            id: imported.id, channelId: imported.channelId, guildId: imported.guildId,
            authorId: dce["author"]?["id"]?.string.flatMap { Snowflake($0) },
            timestamp: timestamp, editedTimestamp: utc(dce["timestampEdited"]?.string),
            type: MessageType(rawValue: messageType(dce)), flags: 0, content: dce["content"]?.string ?? "",
            pinned: dce["isPinned"]?.bool ?? false,
            referencedMessageId: reference?["messageId"]?.string.flatMap { Snowflake($0) },
            referencedChannelId: reference?["channelId"]?.string.flatMap { Snowflake($0) },
            referencedGuildId: reference?["guildId"]?.string.flatMap { Snowflake($0) },
            json: Data(DCEJSONEncoding.compact(discord)), archivedAt: when, updatedAt: when, deletedAt: nil,
            revisionCount: 0)
    }

    /// Discord's message object for a DCE one (§5 of the DCE format, read backwards).
    static func messageObject(_ m: JSONValue, channel: Snowflake<Channel>, media prefix: String? = nil) -> JSONValue {
        var members: [JSONValue.Member] = [
            .init("id", .string(m["id"]?.string ?? "")), .init("type", .int(messageType(m))),
            .init("content", .string(m["content"]?.string ?? "")), .init("channel_id", .string(channel.description)),
            .init("author", m["author"].map(user) ?? .null),
            .init(
                "attachments",
                .array((m["attachments"]?.elements ?? []).map { attachment($0, channel: channel, media: prefix) })),
            .init("embeds", .array((m["embeds"]?.elements ?? []).map { embed($0, media: prefix) })),
            .init("mentions", .array((m["mentions"]?.elements ?? []).map(user))),
            .init("mention_roles", .array([])), .init("pinned", .bool(m["isPinned"]?.bool ?? false)),
            .init("mention_everyone", .bool(false)), .init("tts", .bool(false)),
            .init("timestamp", .string(utc(m["timestamp"]?.string)?.rawValue)),
            .init("edited_timestamp", .string(utc(m["timestampEdited"]?.string)?.rawValue)), .init("flags", .int(0)),
            .init("components", .array([])),
        ]
        let reactions = (m["reactions"]?.elements ?? []).map(reaction)
        if !reactions.isEmpty { members.append(.init("reactions", .array(reactions))) }
        let stickers = (m["stickers"]?.elements ?? []).map(sticker)
        if !stickers.isEmpty { members.append(.init("sticker_items", .array(stickers))) }
        if let reference = m["reference"], reference.isObject {
            members.append(
                .init(
                    "message_reference",
                    .object([
                        .init("type", .int(reference["type"]?.string == "Forward" ? 1 : 0)),
                        .init("message_id", reference["messageId"] ?? .null),
                        .init("channel_id", reference["channelId"] ?? .null),
                        .init("guild_id", reference["guildId"] ?? .null),
                    ])))
        }
        if let forwarded = m["forwardedMessage"], forwarded.isObject {
            let snapshot: JSONValue = .object([
                .init("type", .int(0)), .init("content", .string(forwarded["content"]?.string ?? "")),
                .init("timestamp", .string(utc(forwarded["timestamp"]?.string)?.rawValue)),
                .init("edited_timestamp", .string(utc(forwarded["timestampEdited"]?.string)?.rawValue)),
                .init(
                    "attachments",
                    .array(
                        (forwarded["attachments"]?.elements ?? []).map {
                            attachment($0, channel: channel, media: prefix)
                        }
                    )),
                .init("embeds", .array((forwarded["embeds"]?.elements ?? []).map { embed($0, media: prefix) })),
                .init("sticker_items", .array((forwarded["stickers"]?.elements ?? []).map(sticker))),
            ])
            members.append(.init("message_snapshots", .array([.object([.init("message", snapshot)])])))
        }
        if let interaction = m["interaction"], interaction.isObject {
            members.append(
                .init(
                    "interaction",
                    .object([
                        .init("id", interaction["id"] ?? .null), .init("type", .int(2)),
                        .init("name", .string(interaction["name"]?.string ?? "")),
                        .init("user", interaction["user"].map(user) ?? .null),
                    ])))
        }
        if let ended = utc(m["callEndedTimestamp"]?.string) {
            members.append(
                .init(
                    "call",
                    .object([.init("participants", .array([])), .init("ended_timestamp", .string(ended.rawValue))]))
            )
        }
        return .object(members)
    }

    /// Discord's message type of a DCE message (`Default` when DCE wrote a name it does not know).
    static func messageType(_ m: JSONValue) -> Int {
        m["type"]?.string.flatMap(DCENames.messageTypeNumber) ?? 0
    }

    /// A DCE timestamp (the exporter's offset, up to seven fractional digits) in Discord's UTC form.
    static func utc(_ text: String?) -> DiscordTimestamp? {
        text.flatMap(DiscordTimestamp.parse).map { DiscordTimestamp(date: $0) }
    }

    /// Discord's user object for a DCE one (§6): the avatar hash from a CDN avatar URL (none from a default avatar,
    /// a guild avatar or a downloaded file), `global_name` from `nickname` when it is not the user name.
    static func user(_ u: JSONValue) -> JSONValue {
        let id = u["id"]?.string ?? "0"
        let name = u["name"]?.string ?? ""
        let nickname = u["nickname"]?.nonBlankString
        let discriminator = u["discriminator"]?.string ?? "0000"
        var avatar: String?
        let prefix = "https://cdn.discordapp.com/avatars/\(id)/"
        if let url = u["avatarUrl"]?.string, url.hasPrefix(prefix) {
            let file = url.dropFirst(prefix.count).prefix { $0 != "?" }
            avatar = file.split(separator: ".").first.map(String.init)
        }
        var members: [JSONValue.Member] = [
            .init("id", .string(id)), .init("username", .string(name)),
            .init("discriminator", .string(discriminator == "0000" ? "0" : discriminator)),
            .init("global_name", .string(nickname == name ? nil : nickname)), .init("avatar", .string(avatar)),
        ]
        if u["isBot"]?.bool == true { members.append(.init("bot", .bool(true))) }
        return .object(members)
    }

    /// Discord's attachment object (§7): DCE keeps the id, URL, file name and size only. An export made with
    /// `--media` holds a path to its downloaded copy instead of the URL: the attachment's CDN address (made from
    /// its channel, id and file name) is given instead, since a path relative to an export file means nothing here;
    /// a copy in the archive's media folder is linked where it is served (`prefix`: ``servedLink(_:prefix:)``).
    static func attachment(_ a: JSONValue, channel: Snowflake<Channel>, media prefix: String? = nil) -> JSONValue {
        let fileName = a["fileName"]?.string ?? ""
        var url = a["url"]?.string ?? ""
        if let served = servedLink(url, prefix: prefix) {
            url = served
        } else if !isWebAddress(url), let id = a["id"]?.string {
            let name = fileName.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? fileName
            url = "https://cdn.discordapp.com/attachments/\(channel)/\(id)/\(name)"
        }
        return .object([
            .init("id", a["id"] ?? .string("0")), .init("filename", .string(fileName)),
            .init("size", a["fileSizeBytes"] ?? .int(0)), .init("url", .string(url)), .init("proxy_url", .string(url)),
        ])
    }

    /// Discord's embed object (§8): canonical URLs back as `url`, DCE's resolved ones as `proxy_url`.
    static func embed(_ e: JSONValue, media prefix: String? = nil) -> JSONValue {
        var members: [JSONValue.Member] = [.init("type", .string("rich"))]
        if let title = e["title"]?.nonBlankString { members.append(.init("title", .string(title))) }
        if let description = e["description"]?.nonBlankString {
            members.append(.init("description", .string(description)))
        }
        if let url = e["url"]?.string { members.append(.init("url", .string(url))) }
        if let timestamp = utc(e["timestamp"]?.string) {
            members.append(.init("timestamp", .string(timestamp.rawValue)))
        }
        if let color = e["color"]?.string, color.hasPrefix("#"), let value = Int(color.dropFirst(), radix: 16) {
            members.append(.init("color", .int(value)))
        }
        if let author = e["author"], author.isObject {
            var object: [JSONValue.Member] = [.init("name", author["name"] ?? .null)]
            if let url = author["url"]?.string { object.append(.init("url", .string(url))) }
            object += icon(author, media: prefix)
            members.append(.init("author", .object(object)))
        }
        for key in ["thumbnail", "video"] {
            if let media = e[key], media.isObject { members.append(.init(key, self.media(media, served: prefix))) }
        }
        if let image = e["images"]?.elements.first ?? e["image"], image.isObject {
            members.append(.init("image", media(image, served: prefix)))
        }
        if let footer = e["footer"], footer.isObject {
            members.append(
                .init("footer", .object([.init("text", footer["text"] ?? .string(""))] + icon(footer, media: prefix))))
        }
        let fields = (e["fields"]?.elements ?? []).map { field in
            JSONValue.object([
                .init("name", field["name"] ?? .string("")), .init("value", field["value"] ?? .string("")),
                .init("inline", .bool(field["isInline"]?.bool ?? false)),
            ])
        }
        if !fields.isEmpty { members.append(.init("fields", .array(fields))) }
        return .object(members)
    }

    /// Whether `text` is an http(s) address (not a path to a file an export with `--media` downloaded).
    static func isWebAddress(_ text: String) -> Bool { text.hasPrefix("https://") || text.hasPrefix("http://") }

    /// Where `stored`, an asset `skald import --media` copied into the archive's media folder (`ab/<sha256>.<ext>`,
    /// ``MediaPath``), is served: `prefix` and the path; `nil` for anything else (a web address, a path outside the
    /// media folder, which is never served) or without a prefix.
    public static func servedLink(_ stored: String, prefix: String?) -> String? {
        guard let prefix, MediaPath.isContentAddressed(stored) else { return nil }
        return prefix + stored
    }

    /// An embed author's or footer's icon pair (a downloaded file's path replaced by the canonical URL, or by where
    /// its copy is served).
    private static func icon(_ object: JSONValue, media prefix: String?) -> [JSONValue.Member] {
        guard let shown = object["iconUrl"]?.string else { return [] }
        let served = servedLink(shown, prefix: prefix)
        guard
            let canonical = [object["iconCanonicalUrl"]?.string, shown].compactMap({ $0 }).first(where: isWebAddress)
                ?? served
        else { return [] }
        return [
            .init("icon_url", .string(canonical)),
            .init("proxy_icon_url", .string(served ?? (isWebAddress(shown) ? shown : canonical))),
        ]
    }

    /// An embed's thumbnail, image or video.
    private static func media(_ object: JSONValue, served prefix: String?) -> JSONValue {
        var members: [JSONValue.Member] = []
        // A downloaded file's path with no canonical URL beside it (older DCE) leaves no address to give, unless
        // its copy is served.
        if let shown = object["url"]?.string {
            let served = servedLink(shown, prefix: prefix)
            if let canonical = [object["canonicalUrl"]?.string, shown].compactMap({ $0 }).first(where: isWebAddress)
                ?? served
            {
                members.append(.init("url", .string(canonical)))
                members.append(.init("proxy_url", .string(served ?? (isWebAddress(shown) ? shown : canonical))))
            }
        }
        for key in ["width", "height"] {
            if let value = object[key], !value.isNull { members.append(.init(key, value)) }
        }
        return .object(members)
    }

    /// Discord's sticker item (§9).
    static func sticker(_ s: JSONValue) -> JSONValue {
        let format = ["Png": 1, "Apng": 2, "Lottie": 3, "Gif": 4][s["format"]?.string ?? ""] ?? 1
        return .object([
            .init("id", s["id"] ?? .string("0")), .init("name", s["name"] ?? .string("")),
            .init("format_type", .int(format)),
        ])
    }

    /// Discord's reaction (§10): the count; who reacted is not part of Discord's message object.
    static func reaction(_ r: JSONValue) -> JSONValue {
        let emoji = r["emoji"] ?? .object([])
        var emojiMembers: [JSONValue.Member] = [
            .init("id", .string(emoji["id"]?.nonBlankString)), .init("name", emoji["name"] ?? .null),
        ]
        if emoji["isAnimated"]?.bool == true { emojiMembers.append(.init("animated", .bool(true))) }
        let count = r["count"] ?? .int(0)
        return .object([
            .init("emoji", .object(emojiMembers)), .init("count", count),
            .init("count_details", .object([.init("burst", .int(0)), .init("normal", count)])),
            .init("burst_colors", .array([])), .init("me_burst", .bool(false)), .init("burst_me", .bool(false)),
            .init("me", .bool(false)),
        ])
    }

    // MARK: Structure

    /// The channels the imported headers know, as stored channels of their guilds: each channel (a thread's parent
    /// from its `categoryId`), and each category a header names, ascending by id. A channel also archived is left
    /// to the archive (the caller's choice: these are only what the imports know).
    public static func channels(_ headers: [ImportedChannel]) -> [StoredChannel] {
        var channels: [UInt64: StoredChannel] = [:]
        for header in headers {
            guard let dce = try? JSONValue.parse(header.channelJSON) else { continue }
            let type = dce["type"]?.string.flatMap(DCENames.channelTypeNumber) ?? 0
            let isThread = [10, 11, 12].contains(type)
            let parent = dce["categoryId"]?.string.flatMap { Snowflake<Channel>($0) }
            let name = dce["name"]?.string
            var members: [JSONValue.Member] = [
                .init("id", .string(header.channelId.description)), .init("type", .int(type)),
                .init("name", .string(name)),
            ]
            if let guild = header.guildId { members.append(.init("guild_id", .string(guild.description))) }
            members.append(.init("parent_id", .string(parent?.description)))
            if let topic = dce["topic"]?.string { members.append(.init("topic", .string(topic))) }
            if isThread {
                members.append(
                    .init("thread_metadata", .object([.init("archived", .bool(true)), .init("locked", .bool(false))])))
            }
            channels[header.channelId.rawValue] = StoredChannel(
                id: header.channelId, guildId: header.guildId, parentId: parent, type: ChannelType(rawValue: type),
                name: name, position: nil, isThread: isThread, threadArchived: isThread ? true : nil,
                threadLocked: isThread ? false : nil, threadArchiveTimestamp: nil,
                json: Data(DCEJSONEncoding.compact(.object(members))), firstSeenAt: header.importedAt,
                updatedAt: header.importedAt, deletedAt: nil)
            // A regular channel's parent is its category; a thread's is a channel, which its own header describes.
            if let parent, !isThread, channels[parent.rawValue] == nil {
                let category = dce["category"]?.string
                var categoryMembers: [JSONValue.Member] = [
                    .init("id", .string(parent.description)), .init("type", .int(4)), .init("name", .string(category)),
                ]
                if let guild = header.guildId { categoryMembers.append(.init("guild_id", .string(guild.description))) }
                channels[parent.rawValue] = StoredChannel(
                    id: parent, guildId: header.guildId, parentId: nil, type: ChannelType(rawValue: 4),
                    name: category, position: nil, isThread: false, threadArchived: nil, threadLocked: nil,
                    threadArchiveTimestamp: nil, json: Data(DCEJSONEncoding.compact(.object(categoryMembers))),
                    firstSeenAt: header.importedAt, updatedAt: header.importedAt, deletedAt: nil)
            }
        }
        return channels.values.sorted { $0.id < $1.id }
    }

    /// The guilds the imported headers name, as stored guild objects (`id`, `name`, `icon` from DCE's icon URL),
    /// ascending by id; direct messages (DCE's pseudo-guild `0`) are the guild `0`, "Direct Messages".
    public static func guilds(_ headers: [ImportedChannel]) -> [StoredObject] {
        var guilds: [UInt64: StoredObject] = [:]
        for header in headers.sorted(by: { $0.importedAt < $1.importedAt }) {
            let id = header.guildId?.rawValue ?? 0
            let dce = header.guildId == nil ? nil : try? JSONValue.parse(header.guildJSON)
            let name = dce?["name"]?.string ?? "Direct Messages"
            var icon: String?
            let prefix = "https://cdn.discordapp.com/icons/\(id)/"
            if let url = dce?["iconUrl"]?.string, url.hasPrefix(prefix) {
                icon = url.dropFirst(prefix.count).prefix { $0 != "?" }.split(separator: ".").first.map(String.init)
            }
            let json: JSONValue = .object([
                .init("id", .string(String(id))), .init("name", .string(name)), .init("icon", .string(icon)),
            ])
            guilds[id] = StoredObject(
                kind: .guild, id: AnySnowflake(id), guildId: Snowflake(id), json: Data(DCEJSONEncoding.compact(json)),
                firstSeenAt: header.importedAt, updatedAt: header.importedAt, deletedAt: nil)
        }
        return guilds.values.sorted { $0.id.rawValue < $1.id.rawValue }
    }
}
