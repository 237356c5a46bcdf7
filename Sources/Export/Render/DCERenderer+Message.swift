import ArchiveStore
import DiscordModels
import Foundation

extension DCERenderer {
    /// The DCE message object of §5 for a message's Discord JSON.
    func messageNode(_ m: JSONNode) async -> JSONNode {
        let id = m["id"]?.string ?? ""
        let type = m["type"]?.int ?? 0
        // Member look-ups in DCE's order: author, mentions, replied-to author, interaction user.
        let author = await m["author"].asyncMap { await fullUser($0) } ?? .null
        var mentions: [JSONNode] = []
        for user in m["mentions"]?.elements ?? [] { mentions.append(await fullUser(user)) }
        if let repliedAuthor = m["referenced_message"]?["author"], let userId = repliedAuthor["id"]?.uint64 {
            _ = await lookUpMember(userId)
        }
        let interactionUser = await m["interaction"]?["user"].asyncMap { await fullUser($0) }

        let rawContent = m["content"]?.string ?? ""
        let content: String
        if (1...18).contains(type) {
            content = systemContent(m, type: type, raw: rawContent)
        } else {
            content = await markdown(rawContent, message: m)
        }
        let timestamp = timeZone.format(m["timestamp"]?.string)
        var members: [JSONNode.Member] = [
            .init("id", .string(id)), .init("type", .string(DCENames.messageType(type))),
            .init("timestamp", .string(timestamp ?? m["timestamp"]?.string)),
            .init("timestampEdited", .string(timeZone.format(m["edited_timestamp"]?.string))),
            .init("callEndedTimestamp", .string(timeZone.format(m["call"]?["ended_timestamp"]?.string))),
            .init("isPinned", .bool(m["pinned"]?.bool ?? false)), .init("content", .string(content)),
            .init("author", author),
            .init(
                "attachments",
                .array(
                    await attachments(
                        m["attachments"]?.elements ?? [], messageId: id, channelId: m["channel_id"]?.uint64 ?? 0))),
            .init("embeds", .array(await embeds(m["embeds"]?.elements ?? [], message: m))),
            .init("stickers", .array(stickers(m["sticker_items"]?.elements ?? []))),
            .init(
                "reactions",
                .array(
                    await reactions(
                        m["reactions"]?.elements ?? [], messageId: id, channelId: m["channel_id"]?.uint64 ?? 0))),
            .init("mentions", .array(mentions)),
        ]
        if let reference = m["message_reference"], case .object = reference {
            let referenceType = reference["type"]?.int ?? 0
            members.append(
                .init(
                    "reference",
                    .object([
                        .init(
                            "type",
                            .string(
                                referenceType == 0 ? "Default" : referenceType == 1 ? "Forward" : "\(referenceType)")
                        ),
                        .init("messageId", .string(reference["message_id"]?.string)),
                        .init("channelId", .string(reference["channel_id"]?.string)),
                        .init("guildId", .string(reference["guild_id"]?.string)),
                    ])))
        }
        if let snapshot = m["message_snapshots"]?.elements.first?["message"], case .object = snapshot {
            members.append(
                .init(
                    "forwardedMessage",
                    .object([
                        .init("timestamp", .string(timeZone.format(snapshot["timestamp"]?.string))),
                        .init("timestampEdited", .string(timeZone.format(snapshot["edited_timestamp"]?.string))),
                        .init("content", .string(await markdown(snapshot["content"]?.string ?? "", message: snapshot))),
                        .init(
                            "attachments",
                            .array(
                                await attachments(
                                    snapshot["attachments"]?.elements ?? [], messageId: id,
                                    channelId: m["channel_id"]?.uint64 ?? 0))),
                        .init("embeds", .array(await embeds(snapshot["embeds"]?.elements ?? [], message: snapshot))),
                        .init("stickers", .array(stickers(snapshot["sticker_items"]?.elements ?? []))),
                    ])))
        }
        if let interaction = m["interaction"], case .object = interaction {
            members.append(
                .init(
                    "interaction",
                    .object([
                        .init("id", .string(interaction["id"]?.string)),
                        .init("name", .string(interaction["name"]?.string ?? "")),
                        .init("user", interactionUser ?? .null),
                    ])))
        }
        members.append(.init("inlineEmojis", .array(InlineEmojis.find(in: rawContent))))
        if rendersHTML {
            members.append(.init("skaldNames", await namesNode(for: Self.markdownTexts(of: m), message: m)))
        }
        return .object(members)
    }

    // MARK: Content

    func systemContent(_ m: JSONNode, type: Int, raw: String) -> String {
        let firstMention = m["mentions"]?.elements.first
        switch type {
        case 1:
            return firstMention.map { "Added \(displayName($0)) to the group." } ?? "Added a recipient."
        case 2:
            guard let firstMention else { return "Removed a recipient." }
            return firstMention["id"]?.uint64 == m["author"]?["id"]?.uint64
                ? "Left the group." : "Removed \(displayName(firstMention)) from the group."
        case 3:
            var minutes = 0.0
            if let start = m["timestamp"]?.string.flatMap(DCETime.parse),
                let end = m["call"]?["ended_timestamp"]?.string.flatMap(DCETime.parse)
            {
                minutes = (end.date.timeIntervalSince(start.date)) / 60
            }
            return "Started a call that lasted \(DotNetDateFormat.n0(minutes)) minutes."
        case 4:
            return raw.allSatisfy(\.isWhitespace) ? "Changed the channel name." : "Changed the channel name: \(raw)"
        case 5: return "Changed the channel icon."
        case 6: return "Pinned a message."
        case 7: return "Joined the server."
        case 18: return "Started a thread."
        default: return raw
        }
    }

    /// DCE's minimal markdown pass (§5.3): mentions, channels, roles, custom emoji and timestamps replaced.
    func markdown(_ text: String, message: JSONNode) async -> String {
        guard options.markdown, !rendersHTML, text.contains("<") else { return text }
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        func digits(from start: Int) -> (String, Int)? {
            var j = start
            while j < s.count, s[j].value >= 48, s[j].value <= 57 { j += 1 }
            guard j > start, j < s.count, s[j] == ">" else { return nil }
            return (String(String.UnicodeScalarView(s[start..<j])), j + 1)
        }
        while i < s.count {
            guard s[i] == "<", i + 1 < s.count else {
                out.append(s[i])
                i += 1
                continue
            }
            var replacement: String?
            var end = i
            if s[i + 1] == "@" {
                var start = i + 2
                if start < s.count, s[start] == "&" {
                    if let (id, after) = digits(from: start + 1) {
                        let role = UInt64(id).flatMap { roles[$0] }
                        replacement = "@" + (role?.name ?? "deleted-role")
                        end = after
                    }
                } else {
                    if start < s.count, s[start] == "!" { start += 1 }
                    if let (id, after) = digits(from: start) {
                        replacement = "@" + (await mentionName(UInt64(id) ?? 0, message: message) ?? "Unknown")
                        end = after
                    }
                }
            } else if s[i + 1] == "#" {
                var start = i + 2
                if start < s.count, s[start] == "!" { start += 1 }
                if let (id, after) = digits(from: start) {
                    if let channel = await channel(UInt64(id) ?? 0) {
                        let voice = [2, 13].contains(channel["type"]?.int ?? 0)
                        replacement = "#" + (channel["name"]?.string ?? "") + (voice ? " [voice]" : "")
                    } else {
                        replacement = "#deleted-channel"
                    }
                    end = after
                }
            } else if s[i + 1] == ":" || s[i + 1] == "a" {
                if let (name, _, _, after) = InlineEmojis.customEmoji(s, at: i) {
                    replacement = ":\(name):"
                    end = after
                }
            } else if s[i + 1] == "t", i + 2 < s.count, s[i + 2] == ":" {
                if let (text, after) = timestampMarkup(s, at: i) {
                    replacement = text
                    end = after
                }
            }
            if let replacement {
                out.append(contentsOf: replacement.unicodeScalars)
                i = end
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(out)
    }

    func mentionName(_ userId: UInt64, message: JSONNode) async -> String? {
        var user = message["mentions"]?.elements.first { $0["id"]?.uint64 == userId }
        if user == nil { user = await self.user(userId) }
        guard let user else { return nil }
        let member = await lookUpMember(userId)
        return member?.nick ?? user["global_name"]?.nonBlankString ?? user["username"]?.string
    }

    private func timestampMarkup(_ s: [Unicode.Scalar], at start: Int) -> (String, Int)? {
        guard let markup = TimestampMarkup.scan(s, at: start) else { return nil }
        let end = markup.end
        guard let magnitude = Int64(markup.digits), magnitude < 253_402_300_800 else { return ("Invalid date", end) }
        let time = DCETime(seconds: markup.negative ? -magnitude : magnitude)
        guard time.seconds >= -62_135_596_800 else { return ("Invalid date", end) }
        let format: Character = markup.style.map { "RrR".contains($0) ? "g" : $0 } ?? "g"
        let formatted = DotNetDateFormat.format(time, offset: timeZone.offset(at: time), letter: format)
        return (formatted ?? "Invalid date", end)
    }

    // MARK: Parts

    func attachments(_ list: [JSONNode], messageId: String, channelId: UInt64) async -> [JSONNode] {
        var result: [JSONNode] = []
        for attachment in list {
            let id = attachment["id"]?.string ?? ""
            var url = attachment["url"]?.string ?? ""
            if let mediaPath, let message = UInt64(messageId), let attachmentId = UInt64(id),
                let local = await mediaPath(message, channelId, attachmentId)
            {
                url = local
            }
            result.append(
                .object([
                    .init("id", .string(id)), .init("url", .string(url)),
                    .init("fileName", .string(attachment["filename"]?.string ?? "")),
                    .init("fileSizeBytes", .int(attachment["size"]?.int ?? 0)),
                ]))
        }
        return result
    }

    func stickers(_ list: [JSONNode]) -> [JSONNode] {
        list.map { sticker in
            let id = sticker["id"]?.string ?? ""
            let format = sticker["format_type"]?.int ?? 1
            let ext = format == 3 ? "json" : format == 4 ? "gif" : "png"
            return .object([
                .init("id", .string(id)), .init("name", .string(sticker["name"]?.string ?? "")),
                .init("format", .string(DCENames.stickerFormat(format))),
                .init("sourceUrl", .string("https://cdn.discordapp.com/stickers/\(id).\(ext)")),
            ])
        }
    }

    func reactions(_ list: [JSONNode], messageId: String, channelId: UInt64) async -> [JSONNode] {
        var result: [JSONNode] = []
        for reaction in list {
            let emoji = reaction["emoji"] ?? .object([])
            let emojiId = emoji["id"]?.nonBlankString
            let name = emoji["name"]?.nonBlankString ?? "Unknown Emoji"
            let key = emojiId.map { "\(emoji["name"]?.string ?? ""):\($0)" } ?? (emoji["name"]?.string ?? "")
            var users: [JSONNode] = []
            if let message = UInt64(messageId),
                let ids = try? await reactionUserIDs(of: message, in: channelId, emojiKey: key)
            {
                for userId in ids {
                    guard let user = await user(userId.rawValue) else { continue }
                    users.append(userNode(user, member: cachedMember(userId.rawValue), withRoles: false))
                }
            }
            result.append(
                .object([
                    .init(
                        "emoji",
                        InlineEmojis.emojiNode(id: emojiId, name: name, animated: emoji["animated"]?.bool ?? false)),
                    .init("count", .int(reaction["count"]?.int ?? 0)), .init("users", .array(users)),
                ]))
        }
        return result
    }

    /// The users who reacted (not burst) with `emojiKey` on a message: read ahead by ``prefetch(_:channelId:)``
    /// for the page's messages, else looked up.
    private func reactionUserIDs(of message: UInt64, in channelId: UInt64, emojiKey: String) async throws
        -> [Snowflake<User>]
    {
        if let prefetched = reactionUsers[channelId]?[message] { return prefetched[emojiKey] ?? [] }
        return try await store.reactionUserIDs(
            of: Snowflake(message), in: Snowflake(channelId), emojiKey: emojiKey, burst: false)
    }

    func embeds(_ list: [JSONNode], message: JSONNode) async -> [JSONNode] {
        // Twitter merge: followers with the same url and only one image fold into the first.
        var groups: [(embed: JSONNode, images: [JSONNode])] = []
        for embed in list {
            if let last = groups.last, let url = last.embed["url"]?.string,
                url.lowercased().contains("://twitter.com/"), embed["url"]?.string == url,
                embed["timestamp"] == nil, embed["author"] == nil, embed["color"] == nil, embed["footer"] == nil,
                embed["fields"]?.elements.isEmpty ?? true,
                embed["description"]?.nonBlankString == nil, let image = embed["image"]
            {
                groups[groups.count - 1].images.append(image)
                continue
            }
            groups.append((embed, embed["image"].map { [$0] } ?? []))
        }
        var result: [JSONNode] = []
        for (embed, images) in groups {
            var members: [JSONNode.Member] = [
                .init("title", .string(await markdown(embed["title"]?.string ?? "", message: message))),
                .init("url", .string(embed["url"]?.string)),
                .init("timestamp", .string(timeZone.format(embed["timestamp"]?.string))),
                .init("description", .string(await markdown(embed["description"]?.string ?? "", message: message))),
            ]
            if let color = embed["color"]?.int { members.append(.init("color", .string(DCENames.color(color)))) }
            if let author = embed["author"], case .object = author {
                var fields: [JSONNode.Member] = [
                    .init("name", .string(author["name"]?.string)), .init("url", .string(author["url"]?.string)),
                ]
                if let icon = author["icon_url"]?.nonBlankString {
                    fields.append(.init("iconUrl", .string(author["proxy_icon_url"]?.string ?? icon)))
                    fields.append(.init("iconCanonicalUrl", .string(icon)))
                }
                members.append(.init("author", .object(fields)))
            }
            if let thumbnail = embed["thumbnail"] { members.append(.init("thumbnail", media(thumbnail))) }
            if let image = images.first { members.append(.init("image", media(image))) }
            if let video = embed["video"] { members.append(.init("video", media(video))) }
            if let footer = embed["footer"], case .object = footer {
                var fields: [JSONNode.Member] = [.init("text", .string(footer["text"]?.string ?? ""))]
                if let icon = footer["icon_url"]?.nonBlankString {
                    fields.append(.init("iconUrl", .string(footer["proxy_icon_url"]?.string ?? icon)))
                    fields.append(.init("iconCanonicalUrl", .string(icon)))
                }
                members.append(.init("footer", .object(fields)))
            }
            members.append(.init("images", .array(images.map(media))))
            var fields: [JSONNode] = []
            for field in embed["fields"]?.elements ?? [] {
                fields.append(
                    .object([
                        .init("name", .string(await markdown(field["name"]?.string ?? "", message: message))),
                        .init("value", .string(await markdown(field["value"]?.string ?? "", message: message))),
                        .init("isInline", .bool(field["inline"]?.bool ?? false)),
                    ]))
            }
            members.append(.init("fields", .array(fields)))
            members.append(.init("inlineEmojis", .array(InlineEmojis.find(in: embed["description"]?.string ?? ""))))
            result.append(.object(members))
        }
        return result
    }

    private func media(_ node: JSONNode) -> JSONNode {
        var fields: [JSONNode.Member] = []
        if let url = node["url"]?.nonBlankString {
            fields.append(.init("url", .string(node["proxy_url"]?.string ?? url)))
            fields.append(.init("canonicalUrl", .string(url)))
        }
        fields.append(.init("width", node["width"]?.int.map { .int($0) } ?? .null))
        fields.append(.init("height", node["height"]?.int.map { .int($0) } ?? .null))
        return .object(fields)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async -> T) async -> T? {
        guard let value = self else { return nil }
        return await transform(value)
    }
}
