import DiscordModels

extension RenderContext {
    /// Whether MESSAGE_CONTENT rules blank this message for the viewer.
    func hidesContent(of message: SimMessage) -> Bool {
        !messageContent && message.authorId != viewerId && !message.mentionIds.contains(viewerId)
    }

    /// Writes a message in Discord's shape. `nested` leaves out `referenced_message` (as inside a reply);
    /// `searchHit` adds `hit: true`, as a search result (the spec's `SearchMessageResponse` requires it).
    func writeMessage(
        _ message: SimMessage, view: ChannelView, into w: inout JSONWriter, nested: Bool = false,
        searchHit: Bool = false
    ) {
        let hidden = hidesContent(of: message)
        w.beginObject()
        w.key("type")
        w.int(message.type)
        w.key("content")
        w.string(hidden ? "" : message.content)
        w.key("mentions")
        w.beginArray()
        for id in message.mentionIds { writeUser(id: id, into: &w) }
        w.endArray()
        w.key("mention_roles")
        w.beginArray()
        for id in message.mentionRoleIds { w.id(id) }
        w.endArray()
        w.key("attachments")
        w.beginArray()
        if !hidden { for attachment in message.attachments { writeAttachment(attachment, message: message, into: &w) } }
        w.endArray()
        w.key("embeds")
        w.beginArray()
        if !hidden { for embed in message.embeds { writeEmbed(embed, into: &w) } }
        w.endArray()
        w.key("timestamp")
        w.timestamp(message.timestampMilliseconds)
        w.key("edited_timestamp")
        w.timestamp(message.editedMilliseconds)
        w.key("flags")
        w.int(message.flags)
        w.key("components")
        w.beginArray()
        w.endArray()
        w.key("id")
        w.id(message.id)
        w.key("channel_id")
        w.id(message.channelId)
        w.key("author")
        if let webhookId = message.webhookId {
            w.beginObject()
            w.key("id")
            w.id(webhookId)
            w.key("username")
            w.string(message.authorName ?? "Webhook")
            w.key("avatar")
            w.null()
            w.key("discriminator")
            w.string("0000")
            w.key("public_flags")
            w.int(0)
            w.key("flags")
            w.int(0)
            w.key("bot")
            w.bool(true)
            w.key("global_name")
            w.null()
            w.key("primary_guild")
            w.null()
            w.endObject()
        } else {
            writeUser(id: message.authorId, into: &w)
        }
        w.key("pinned")
        w.bool(message.pinned)
        w.key("mention_everyone")
        w.bool(message.mentionEveryone)
        w.key("tts")
        w.bool(message.tts)
        w.id("webhook_id", ifPresent: message.webhookId)
        w.string("nonce", ifPresent: message.nonce)
        w.int("position", ifPresent: message.position)
        if !message.reactions.isEmpty {
            w.key("reactions")
            w.beginArray()
            for reaction in message.reactions {
                w.beginObject()
                w.key("emoji")
                writeReactionEmoji(reaction, into: &w)
                w.key("count")
                w.int(reaction.normal + reaction.botReactors.count + reaction.burst)
                w.key("count_details")
                w.beginObject()
                w.key("burst")
                w.int(reaction.burst)
                w.key("normal")
                w.int(reaction.normal + reaction.botReactors.count)
                w.endObject()
                w.key("burst_colors")
                w.beginArray()
                if reaction.burst > 0 { for color in MessageFactory.burstColors.prefix(2) { w.string(color) } }
                w.endArray()
                w.key("me_burst")
                w.bool(false)
                w.key("burst_me")
                w.bool(false)
                w.key("me")
                w.bool(reaction.botReactors.contains(viewerId))
                w.key("burst_count")
                w.int(reaction.burst)
                w.endObject()
            }
            w.endArray()
        }
        if !message.stickers.isEmpty {
            w.key("sticker_items")
            w.beginArray()
            for sticker in message.stickers {
                w.beginObject()
                w.key("id")
                w.id(sticker.id)
                w.key("name")
                w.string(sticker.name)
                w.key("format_type")
                w.int(sticker.formatType)
                w.endObject()
            }
            w.endArray()
        }
        if let poll = message.poll, !hidden { writePoll(poll, into: &w) }
        if let reference = message.reference {
            w.key("message_reference")
            w.beginObject()
            w.key("type")
            w.int(0)
            w.key("channel_id")
            w.id(reference.channelId)
            w.key("message_id")
            w.id(reference.messageId)
            w.key("guild_id")
            w.id(reference.guildId)
            w.endObject()
            if !nested, message.type == 19 || message.type == 21 {
                w.key("referenced_message")
                let target =
                    reference.channelId == view.channel.id
                    ? view.message(id: reference.messageId) : view.parentMessage(id: reference.messageId)
                if let target {
                    writeMessage(target, view: message.type == 21 ? parentView(of: view) : view, into: &w, nested: true)
                } else {
                    w.null()
                }
            }
        }
        if message.flags & (1 << 5) != 0, let thread = world.channels[message.id], thread.isThread {
            w.key("thread")
            writeChannel(thread, overlay: .empty, into: &w)
        }
        if searchHit {
            w.key("hit")
            w.bool(true)
        }
        w.endObject()
    }

    func parentView(of view: ChannelView) -> ChannelView {
        guard let parent = view.parent else { return view }
        return ChannelView(
            channel: parent, overlay: view.parentOverlay ?? .empty, parent: nil, parentOverlay: nil, factory: factory)
    }

    func attachmentPath(_ attachment: SimAttachment, channelId: UInt64) -> String {
        "/attachments/\(channelId)/\(attachment.id)/\(CDNPaths.encodeSegment(attachment.filename))"
    }

    func writeAttachment(_ attachment: SimAttachment, message: SimMessage, into w: inout JSONWriter) {
        let path = attachmentPath(attachment, channelId: message.channelId)
        let query = signer.query(path: path, now: nowSeconds)
        w.beginObject()
        w.key("id")
        w.id(attachment.id)
        w.key("filename")
        w.string(attachment.filename)
        w.string("description", ifPresent: attachment.description)
        w.string("content_type", ifPresent: attachment.contentType)
        w.key("size")
        w.int(attachment.size)
        w.key("url")
        w.string(baseURL + "/cdn" + path + query)
        w.key("proxy_url")
        w.string(baseURL + "/media" + path + query)
        if let width = attachment.width, let height = attachment.height {
            w.key("width")
            w.int(width)
            w.key("height")
            w.int(height)
        }
        if let duration = attachment.durationSeconds {
            w.key("duration_secs")
            w.double(duration)
        }
        if attachment.flags != 0 {
            w.key("flags")
            w.int(attachment.flags)
        }
        w.endObject()
    }

    func writeEmbed(_ embed: SimEmbed, into w: inout JSONWriter) {
        if let raw = embed.rawJSON {
            w.raw(raw)
            return
        }
        w.beginObject()
        w.key("type")
        w.string(embed.type)
        w.string("url", ifPresent: embed.url)
        w.string("title", ifPresent: embed.title)
        w.string("description", ifPresent: embed.description)
        w.int("color", ifPresent: embed.color)
        w.timestamp("timestamp", ifPresent: embed.timestampMilliseconds)
        if let footer = embed.footer {
            w.key("footer")
            w.beginObject()
            w.key("text")
            w.string(footer)
            w.endObject()
        }
        if let author = embed.authorName {
            w.key("author")
            w.beginObject()
            w.key("name")
            w.string(author)
            w.endObject()
        }
        if let video = embed.videoURL {
            w.key("video")
            w.beginObject()
            w.key("url")
            w.string(video)
            w.key("width")
            w.int(1280)
            w.key("height")
            w.int(720)
            w.endObject()
        }
        if let provider = embed.providerName {
            w.key("provider")
            w.beginObject()
            w.key("name")
            w.string(provider)
            w.endObject()
        }
        if !embed.fields.isEmpty {
            w.key("fields")
            w.beginArray()
            for field in embed.fields {
                w.beginObject()
                w.key("name")
                w.string(field.name)
                w.key("value")
                w.string(field.value)
                w.key("inline")
                w.bool(field.inline)
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
    }

    func writePoll(_ poll: SimPoll, into w: inout JSONWriter) {
        w.key("poll")
        w.beginObject()
        w.key("question")
        w.beginObject()
        w.key("text")
        w.string(poll.question)
        w.endObject()
        w.key("answers")
        w.beginArray()
        for (index, answer) in poll.answers.enumerated() {
            w.beginObject()
            w.key("answer_id")
            w.int(index + 1)
            w.key("poll_media")
            w.beginObject()
            w.key("text")
            w.string(answer)
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.key("expiry")
        w.timestamp(poll.expiryMilliseconds)
        w.key("allow_multiselect")
        w.bool(poll.multiselect)
        w.key("layout_type")
        w.int(1)
        w.key("results")
        w.beginObject()
        w.key("is_finalized")
        w.bool(poll.finalized)
        w.key("answer_counts")
        w.beginArray()
        for (index, count) in poll.counts.enumerated() {
            w.beginObject()
            w.key("id")
            w.int(index + 1)
            w.key("count")
            w.int(count)
            w.key("me_voted")
            w.bool(false)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endObject()
    }
}
