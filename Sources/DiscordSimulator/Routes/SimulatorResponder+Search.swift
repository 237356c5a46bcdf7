import DiscordModels
import Hummingbird

/// Search Guild Messages, as discord-api-docs (developers/resources/message.mdx, "Search Guild Messages") documents
/// it; the parameters are read by ``GuildSearchParameters``. The simulator walks every message of the channels the
/// bot may read, so it is meant for test worlds, not for ten-million-message channels.
extension SimulatorResponder {
    func searchGuildMessages(_ api: APIRequest) async throws -> Response {
        guard let guildIndex = guildIndex(api) else { throw DiscordAPIError.unknownGuild() }
        let search: GuildSearchParameters
        do {
            search = try GuildSearchParameters { api.query.getAll($0) }
        } catch {
            throw DiscordAPIError.invalidForm(field: error.field, code: error.code, message: error.message)
        }
        // The docs: "This endpoint is restricted according to whether the MESSAGE_CONTENT Privileged Intent is
        // enabled", and the changelog of 2026-03-19: it "requires ... the MESSAGE_CONTENT Privileged Intent". No
        // error is documented; a missing intent answers 403 50001 elsewhere (discord-api.md §1, [obs]).
        guard configuration.messageContentIntent else { throw DiscordAPIError.missingAccess() }
        // The docs: "If the entity you are searching is not yet indexed, the endpoint will return a 202 accepted
        // response" with this body.
        guard await state.searchIndexIsReady(guildIndex: guildIndex, warmup: configuration.searchIndexWarmup) else {
            var w = JSONWriter(capacity: 128)
            w.beginObject()
            w.key("message")
            w.string("Index not yet available. Try again later")
            w.key("code")
            w.int(110_000)
            w.key("documents_indexed")
            w.int(0)
            w.key("retry_after")
            w.int(configuration.searchIndexRetryAfter)
            w.endObject()
            return APIResponse.json(w.bytes, status: .accepted)
        }
        let views = try await searchedChannels(api, guildIndex: guildIndex, search: search)
        var hits: [SearchHit] = []
        for (channelIndex, view) in views.enumerated() {
            for position in 0..<view.totalCount {
                let id = view.id(at: position)
                if let minimum = search.minimumId, id <= minimum.rawValue { continue }
                if let maximum = search.maximumId, id >= maximum.rawValue { continue }
                guard !view.overlay.deleted.contains(id) else { continue }
                let message = view.message(at: position)
                guard matches(message, search, in: view) else { continue }
                hits.append(
                    SearchHit(
                        id: id, channelId: view.channel.id, channelIndex: channelIndex, position: position,
                        score: relevance(of: message, search)))
            }
        }
        hits.sort(by: order(of: search))
        let page = hits.dropFirst(search.offset).prefix(search.limit)
        let context = renderContext(api)
        var w = JSONWriter(capacity: 1300 * page.count + 128)
        w.beginObject()
        w.key("doing_deep_historical_index")
        w.bool(false)
        w.key("total_results")
        w.int(hits.count)
        w.key("messages")
        w.beginArray()
        var threads: [ChannelView] = []
        for hit in page {
            let view = views[hit.channelIndex]
            // The docs: "Returns a list of messages without the `reactions` key"; each in its own array ("surrounding
            // context is no longer returned"). The spec's `SearchMessageResponse` requires `hit` (true for a result),
            // which the docs do not mention.
            var message = view.message(at: hit.position)
            message.reactions = []
            w.beginArray()
            context.writeMessage(message, view: view, into: &w, searchHit: true)
            w.endArray()
            if view.channel.isThread, !threads.contains(where: { $0.channel.id == view.channel.id }) {
                threads.append(view)
            }
        }
        w.endArray()
        // "The threads that contain the returned messages", and "a thread member object for each returned thread the
        // current user has joined".
        w.key("threads")
        w.beginArray()
        for thread in threads { context.writeChannel(thread.channel, overlay: thread.overlay, into: &w) }
        w.endArray()
        w.key("members")
        w.beginArray()
        for thread in threads where thread.channel.thread?.joinedBots.contains(api.botId) == true {
            context.writeThreadMember(thread.channel, userId: api.botId, into: &w)
        }
        w.endArray()
        w.endObject()
        return APIResponse.json(w)
    }

    /// One matching message: where it is, and its relevance.
    struct SearchHit {
        var id: UInt64
        var channelId: UInt64
        var channelIndex: Int
        var position: Int
        var score: Int
    }

    /// The channels and threads searched: those holding messages the bot can view and read the history of (the
    /// docs: "Requires the READ_MESSAGE_HISTORY permission"; others are left out), age-restricted ones only with
    /// `include_nsfw`, limited to `channel_id` when given. A channel named in `channel_id` that the bot cannot read
    /// is refused with 403 50001, as search without READ_MESSAGE_HISTORY is (discord-api.md §3.4).
    func searchedChannels(_ api: APIRequest, guildIndex: Int, search: GuildSearchParameters) async throws
        -> [ChannelView]
    {
        let named = Set(search.channels.map(\.rawValue))
        var views: [ChannelView] = []
        let channels = await state.guildChannels(guildIndex) + state.guildThreads(guildIndex)
        for (channel, _) in channels where named.isEmpty || named.contains(channel.id) {
            guard channel.type.holdsMessages, let view = await state.view(channel.id) else { continue }
            let permissions = permissions(of: api.botId, in: view)
            guard permissions.contains(.viewChannel), permissions.contains(.readMessageHistory) else {
                if named.contains(channel.id) { throw DiscordAPIError.missingAccess() }
                continue
            }
            let ageRestricted = channel.isThread ? view.parent?.nsfw ?? false : channel.nsfw
            if ageRestricted, !search.includeNSFW { continue }
            views.append(view)
        }
        return views
    }

    /// Whether `message` passes every filter of `search` but the ids (checked before it is made).
    func matches(_ message: SimMessage, _ search: GuildSearchParameters, in view: ChannelView) -> Bool {
        guard search.contentMatches(message.content) else { return false }
        if !search.authors.isEmpty, !search.authors.contains(where: { $0.rawValue == message.authorId }) {
            return false
        }
        let author = authorType(of: message)
        if !search.authorTypes.isEmpty, !search.authorTypes.contains(author) { return false }
        if search.excludedAuthorTypes.contains(author) { return false }
        if !search.mentions.isEmpty, !search.mentions.contains(where: { message.mentionIds.contains($0.rawValue) }) {
            return false
        }
        if !search.mentionedRoles.isEmpty,
            !search.mentionedRoles.contains(where: { message.mentionRoleIds.contains($0.rawValue) })
        {
            return false
        }
        if let everyone = search.mentionEveryone, everyone != message.mentionEveryone { return false }
        if let pinned = search.pinned, pinned != message.pinned { return false }
        if !search.repliedToMessages.isEmpty || !search.repliedToUsers.isEmpty {
            guard message.type == 19, let reference = message.reference else { return false }
            if !search.repliedToMessages.isEmpty,
                !search.repliedToMessages.contains(where: { $0.rawValue == reference.messageId })
            {
                return false
            }
            if !search.repliedToUsers.isEmpty {
                guard let target = view.message(id: reference.messageId),
                    search.repliedToUsers.contains(where: { $0.rawValue == target.authorId })
                else { return false }
            }
        }
        guard search.has.allSatisfy({ has(message, $0) }), !search.lacks.contains(where: { has(message, $0) }) else {
            return false
        }
        return search.matchesEmbeds(
            types: message.embeds.map(\.type), providers: message.embeds.compactMap(\.providerName))
            && search.matchesLinks(in: message.content)
            && search.matchesAttachment(named: message.attachments.map(\.filename))
    }

    /// Who sent a message: a webhook (it has `webhook_id`), a bot, or a user.
    func authorType(of message: SimMessage) -> GuildSearchParameters.AuthorType {
        if message.webhookId != nil { return .webhook }
        return world.usersById[message.authorId]?.isBot == true ? .bot : .user
    }

    /// Whether a message has `content` (the docs' "Search Has Types"): a link in its text, an embed, an attachment,
    /// one of a media type (image, video, audio), a sticker, a poll; the simulator makes no forwards (snapshots).
    func has(_ message: SimMessage, _ content: GuildSearchParameters.Content) -> Bool {
        func attachment(_ prefix: String) -> Bool {
            message.attachments.contains { $0.contentType?.hasPrefix(prefix + "/") ?? false }
        }
        switch content {
        case .link: return message.content.contains("http://") || message.content.contains("https://")
        case .embed: return !message.embeds.isEmpty
        case .file: return !message.attachments.isEmpty
        case .image: return attachment("image")
        case .video: return attachment("video")
        case .sound: return attachment("audio")
        case .sticker: return !message.stickers.isEmpty
        case .poll: return message.poll != nil
        case .snapshot: return false
        }
    }

    /// How often the words of `content` occur in the message's text (the simulator's relevance; Discord's is not
    /// documented).
    func relevance(of message: SimMessage, _ search: GuildSearchParameters) -> Int {
        let wanted = Set(search.contentWords.map { $0.lowercased() })
        guard !wanted.isEmpty else { return 0 }
        return GuildSearchParameters.words(of: message.content).filter { wanted.contains($0.lowercased()) }.count
    }

    /// The order of results: by id (then channel) newest or oldest first; by relevance most relevant first, newest
    /// first among equals, whatever `sort_order` says (the docs: "Sort order is not respected when sorting by
    /// relevance").
    func order(of search: GuildSearchParameters) -> (SearchHit, SearchHit) -> Bool {
        let newestFirst: (SearchHit, SearchHit) -> Bool = { a, b in
            a.id != b.id ? a.id > b.id : a.channelId < b.channelId
        }
        switch (search.sortBy, search.sortOrder) {
        case (.relevance, _): return { a, b in a.score != b.score ? a.score > b.score : newestFirst(a, b) }
        case (.timestamp, .desc): return newestFirst
        case (.timestamp, .asc): return { a, b in newestFirst(b, a) }
        }
    }
}
