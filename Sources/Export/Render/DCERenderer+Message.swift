import ArchiveStore
import DiscordModels
import Foundation

extension DCERenderer {
    /// The DCE message object of §5 for a message's Discord JSON.
    func messageNode(_ m: JSONValue) async -> JSONValue {
        var builder = JSONValueBuilder()
        _ = await writeMessage(m, to: &builder)
        return builder.result
    }

    /// Writes the DCE message object of §5 for a message's Discord JSON to `w`, member by member.
    /// - Returns: the message's DCE `timestamp` text.
    func writeMessage<J: JSONLookup, W: DCEValueWriter>(_ m: J, to w: inout W) async -> String? {
        let id = m["id"]?.string ?? ""
        let type = m["type"]?.int ?? 0
        // Member look-ups in DCE's order: author, mentions, replied-to author, interaction user.
        let author = m["author"]
        let authorMember = await author.asyncMap { await lookUpMember($0["id"]?.uint64 ?? 0) }
        let mentionUsers = m["mentions"]?.elements ?? []
        var mentionMembers: [MemberInfo?] = []
        for user in mentionUsers { mentionMembers.append(await lookUpMember(user["id"]?.uint64 ?? 0)) }
        if let repliedAuthor = m["referenced_message"]?["author"], let userId = repliedAuthor["id"]?.uint64 {
            _ = await lookUpMember(userId)
        }
        let interactionUser = m["interaction"]?["user"]
        let interactionMember = await interactionUser.asyncMap { await lookUpMember($0["id"]?.uint64 ?? 0) }

        let contentValue = m["content"]
        let rawContent = contentValue?.string ?? ""
        let content: String
        let system = (1...18).contains(type)
        if system {
            content = systemContent(m, type: type, raw: rawContent)
        } else {
            content = await markdown(rawContent, message: m)
        }
        let channelId = m["channel_id"]?.uint64 ?? 0
        let rawTimestamp = m["timestamp"]?.string
        let timestamp = timeZone.format(rawTimestamp) ?? rawTimestamp
        w.beginObject()
        w.member("id", m["id"], fallback: "")
        w.member("type", DCENames.messageType(type))
        w.member("timestamp", timestamp)
        w.member("timestampEdited", timeZone.format(m["edited_timestamp"]?.string))
        w.member("callEndedTimestamp", timeZone.format(m["call"]?["ended_timestamp"]?.string))
        w.member("isPinned", m["pinned"]?.bool ?? false)
        if !system, content == rawContent {
            // Unchanged by the markdown pass: a writer may copy the stored string as it is.
            w.member("content", contentValue, fallback: "")
        } else {
            w.member("content", content)
        }
        w.key("author")
        if let author { writeUser(author, member: authorMember ?? nil, withRoles: true, to: &w) } else { w.null() }
        w.key("attachments")
        await writeAttachments(m["attachments"]?.elements ?? [], messageId: id, channelId: channelId, to: &w)
        w.key("embeds")
        await writeEmbeds(m["embeds"]?.elements ?? [], message: m, to: &w)
        w.key("stickers")
        writeStickers(m["sticker_items"]?.elements ?? [], to: &w)
        w.key("reactions")
        await writeReactions(m["reactions"]?.elements ?? [], messageId: id, channelId: channelId, to: &w)
        w.key("mentions")
        w.beginArray()
        for (user, member) in zip(mentionUsers, mentionMembers) {
            writeUser(user, member: member, withRoles: true, to: &w)
        }
        w.endArray()
        if let reference = m["message_reference"], reference.isObject {
            let referenceType = reference["type"]?.int ?? 0
            w.key("reference")
            w.beginObject()
            w.member("type", referenceType == 0 ? "Default" : referenceType == 1 ? "Forward" : "\(referenceType)")
            w.member("messageId", reference["message_id"])
            w.member("channelId", reference["channel_id"])
            w.member("guildId", reference["guild_id"])
            w.endObject()
        }
        if let snapshot = m["message_snapshots"]?.elements.first?["message"], snapshot.isObject {
            w.key("forwardedMessage")
            w.beginObject()
            w.member("timestamp", timeZone.format(snapshot["timestamp"]?.string))
            w.member("timestampEdited", timeZone.format(snapshot["edited_timestamp"]?.string))
            w.member("content", await markdown(snapshot["content"]?.string ?? "", message: snapshot))
            w.key("attachments")
            await writeAttachments(snapshot["attachments"]?.elements ?? [], messageId: id, channelId: channelId, to: &w)
            w.key("embeds")
            await writeEmbeds(snapshot["embeds"]?.elements ?? [], message: snapshot, to: &w)
            w.key("stickers")
            writeStickers(snapshot["sticker_items"]?.elements ?? [], to: &w)
            w.endObject()
        }
        if let interaction = m["interaction"], interaction.isObject {
            w.key("interaction")
            w.beginObject()
            w.member("id", interaction["id"])
            w.member("name", interaction["name"], fallback: "")
            w.key("user")
            if let interactionUser {
                writeUser(interactionUser, member: interactionMember ?? nil, withRoles: true, to: &w)
            } else {
                w.null()
            }
            w.endObject()
        }
        w.key("inlineEmojis")
        w.node(.array(InlineEmojis.find(in: rawContent)))
        if rendersHTML {
            w.key("skaldNames")
            w.node(await namesNode(for: Self.markdownTexts(of: m), message: m))
        }
        w.endObject()
        return timestamp
    }

    // MARK: Content

    func systemContent<J: JSONLookup>(_ m: J, type: Int, raw: String) -> String {
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
    func markdown<J: JSONLookup>(_ text: String, message: J) async -> String {
        guard options.markdown, !rendersHTML, text.utf8.contains(UInt8(ascii: "<")) else { return text }
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

    func mentionName<J: JSONLookup>(_ userId: UInt64, message: J) async -> String? {
        if let user = message["mentions"]?.elements.first(where: { $0["id"]?.uint64 == userId }) {
            let member = await lookUpMember(userId)
            return member?.nick ?? user["global_name"]?.nonBlankString ?? user["username"]?.string
        }
        guard let user = await self.user(userId) else { return nil }
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

    func writeAttachments<J: JSONLookup, W: DCEValueWriter>(
        _ list: [J], messageId: String, channelId: UInt64, to w: inout W
    ) async {
        w.beginArray()
        for attachment in list {
            let id = attachment["id"]?.string ?? ""
            var url = attachment["url"]?.string ?? ""
            if let mediaPath, let message = UInt64(messageId), let attachmentId = UInt64(id),
                let local = await mediaPath(message, channelId, attachmentId)
            {
                url = local
            }
            w.beginObject()
            w.member("id", id)
            w.member("url", url)
            w.member("fileName", attachment["filename"], fallback: "")
            w.member("fileSizeBytes", int: attachment["size"]?.int ?? 0)
            w.endObject()
        }
        w.endArray()
    }

    func writeStickers<J: JSONLookup, W: DCEValueWriter>(_ list: [J], to w: inout W) {
        w.beginArray()
        for sticker in list {
            let id = sticker["id"]?.string ?? ""
            let format = sticker["format_type"]?.int ?? 1
            let ext = format == 3 ? "json" : format == 4 ? "gif" : "png"
            w.beginObject()
            w.member("id", id)
            w.member("name", sticker["name"], fallback: "")
            w.member("format", DCENames.stickerFormat(format))
            w.member("sourceUrl", "https://cdn.discordapp.com/stickers/\(id).\(ext)")
            w.endObject()
        }
        w.endArray()
    }

    func writeReactions<J: JSONLookup, W: DCEValueWriter>(
        _ list: [J], messageId: String, channelId: UInt64, to w: inout W
    ) async {
        w.beginArray()
        for reaction in list {
            let emoji = reaction["emoji"]
            let emojiId = emoji?["id"]?.nonBlankString
            let name = emoji?["name"]?.nonBlankString ?? "Unknown Emoji"
            let key = emojiId.map { "\(emoji?["name"]?.string ?? ""):\($0)" } ?? (emoji?["name"]?.string ?? "")
            w.beginObject()
            w.key("emoji")
            w.node(InlineEmojis.emojiNode(id: emojiId, name: name, animated: emoji?["animated"]?.bool ?? false))
            w.member("count", int: reaction["count"]?.int ?? 0)
            w.key("users")
            w.beginArray()
            if await hasReactionUsers(channelId), let message = UInt64(messageId),
                let ids = try? await reactionUserIDs(of: message, in: channelId, emojiKey: key)
            {
                for userId in ids {
                    guard let user = await user(userId.rawValue) else { continue }
                    writeUser(user, member: cachedMember(userId.rawValue), withRoles: false, to: &w)
                }
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
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

    func writeEmbeds<J: JSONLookup, M: JSONLookup, W: DCEValueWriter>(
        _ list: [J], message: M, to w: inout W
    ) async {
        w.beginArray()
        defer { w.endArray() }
        guard !list.isEmpty else { return }
        // Twitter merge: followers with the same url and only one image fold into the first.
        var groups: [(embed: J, images: [J])] = []
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
        for (embed, images) in groups {
            w.beginObject()
            w.member("title", await markdown(embed["title"]?.string ?? "", message: message))
            w.member("url", embed["url"])
            w.member("timestamp", timeZone.format(embed["timestamp"]?.string))
            w.member("description", await markdown(embed["description"]?.string ?? "", message: message))
            if let color = embed["color"]?.int { w.member("color", DCENames.color(color)) }
            if let author = embed["author"], author.isObject {
                w.key("author")
                w.beginObject()
                w.member("name", author["name"])
                w.member("url", author["url"])
                if let icon = author["icon_url"]?.nonBlankString {
                    w.member("iconUrl", author["proxy_icon_url"], fallback: icon)
                    w.member("iconCanonicalUrl", icon)
                }
                w.endObject()
            }
            if let thumbnail = embed["thumbnail"] {
                w.key("thumbnail")
                writeMedia(thumbnail, to: &w)
            }
            if let image = images.first {
                w.key("image")
                writeMedia(image, to: &w)
            }
            if let video = embed["video"] {
                w.key("video")
                writeMedia(video, to: &w)
            }
            if let footer = embed["footer"], footer.isObject {
                w.key("footer")
                w.beginObject()
                w.member("text", footer["text"], fallback: "")
                if let icon = footer["icon_url"]?.nonBlankString {
                    w.member("iconUrl", footer["proxy_icon_url"], fallback: icon)
                    w.member("iconCanonicalUrl", icon)
                }
                w.endObject()
            }
            w.key("images")
            w.beginArray()
            for image in images { writeMedia(image, to: &w) }
            w.endArray()
            w.key("fields")
            w.beginArray()
            for field in embed["fields"]?.elements ?? [] {
                w.beginObject()
                w.member("name", await markdown(field["name"]?.string ?? "", message: message))
                w.member("value", await markdown(field["value"]?.string ?? "", message: message))
                w.member("isInline", field["inline"]?.bool ?? false)
                w.endObject()
            }
            w.endArray()
            w.key("inlineEmojis")
            w.node(.array(InlineEmojis.find(in: embed["description"]?.string ?? "")))
            w.endObject()
        }
    }

    private func writeMedia<J: JSONLookup, W: DCEValueWriter>(_ node: J, to w: inout W) {
        w.beginObject()
        if let url = node["url"]?.nonBlankString {
            w.member("url", node["proxy_url"], fallback: url)
            w.member("canonicalUrl", url)
        }
        w.key("width")
        if let width = node["width"]?.int { w.int(width) } else { w.null() }
        w.key("height")
        if let height = node["height"]?.int { w.int(height) } else { w.null() }
        w.endObject()
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async -> T) async -> T? {
        guard let value = self else { return nil }
        return await transform(value)
    }
}
