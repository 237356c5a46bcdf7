import ArchiveStore
import DiscordModels
import Foundation
import Hummingbird

/// Discord's Search Guild Messages (`GET /api/v10/guilds/{guild.id}/messages/search`) answered from the archive
/// with the viewer's search (``MergedHistory``: archived and imported messages as one, deleted ones left out): the
/// parameters Discord documents, read by ``GuildSearchParameters`` (a bad value is Discord's `400 50035`), Discord's
/// answer `{doing_deep_historical_index, total_results, messages: [[message]], threads, members}` with the stored
/// JSON less `reactions`, paged by `offset` and `limit`, newest or oldest first or by relevance.
///
/// The store narrows by what it indexes (words of `content`, channels, authors and their kind, mentions, ids,
/// `pinned`, `has`); the rest is checked on each candidate's stored JSON (``GuildSearchCandidate``), so no parameter
/// widens the result: the words of `content` in order within `slop`, `has=snapshot`, roles and @everyone
/// mentioned, replies, embed kinds and providers, link hosts, attachment names and extensions.
extension ArchiveServer {
    func addGuildSearchRoute(to api: RouterGroup<BasicRequestContext>) {
        api.get("guilds/:guild/messages/search") { request, context in
            guard let guild: Snowflake<Guild> = Self.id(context, "guild"), try await hasGuild(guild) else {
                return Self.unknownGuild
            }
            let parameters: GuildSearchParameters
            do {
                parameters = try GuildSearchParameters { request.uri.queryParameters.getAll($0) }
            } catch let error as DiscordFieldError {
                return Self.invalidForm(.init(field: error.field, code: error.code, message: error.message))
            }
            return try await guildSearchAnswer(parameters, in: guild)
        }
    }

    /// The answer to a search of `guild`.
    func guildSearchAnswer(_ parameters: GuildSearchParameters, in guild: Snowflake<Guild>) async throws -> Response {
        var found: [StoredMessage] = []
        var total = 0
        if let search = try await archiveSearch(parameters, in: guild) {
            let candidate = GuildSearchCandidate(parameters: parameters, history: history)
            // Every match is counted (`total_results`), newest first: the page is cut from that order, or read by
            // relevance.
            var matched: [(id: Snowflake<Message>, channel: Snowflake<Channel>)] = []
            var cursor: Snowflake<Message>?
            // Large pages: the store then collects a common word's matches rather than probing message by message.
            let batch = 5_000
            while true {
                let page = try await history.search(search, before: cursor, limit: batch)
                for message in page {
                    if try await candidate.admits(message) { matched.append((message.id, message.channelId)) }
                }
                guard page.count == batch, let last = page.last else { break }
                cursor = last.id
            }
            total = matched.count
            switch (parameters.sortBy, parameters.sortOrder) {
            case (.relevance, _):
                found = try await relevantPage(search, parameters: parameters, candidate: candidate)
            case (.timestamp, let order):
                let ordered = order == .desc ? matched : Array(matched.reversed())
                for (id, channel) in ordered.dropFirst(parameters.offset).prefix(parameters.limit) {
                    if let message = try await history.message(id, in: channel) { found.append(message) }
                }
            }
        }
        var threads: [Data] = []
        var seen: Set<Snowflake<Channel>> = []
        for message in found where seen.insert(message.channelId).inserted {
            if let channel = try await history.channel(message.channelId), channel.isThread {
                threads.append(channel.json)
            }
        }
        return ServeResponses.json(
            JSONAssembly.object([
                ("doing_deep_historical_index", Array("false".utf8)),
                ("total_results", Array(String(total).utf8)),
                (
                    "messages",
                    JSONAssembly.array(found.map { Data(JSONAssembly.array([Self.searchResult($0.json)])) })
                ),
                // The archive's reader has joined no thread: no thread members.
                ("threads", JSONAssembly.array(threads)), ("members", Array("[]".utf8)),
            ]))
    }

    /// The page of a search by relevance (Discord ignores `sort_order` then): the store's ranking, read from the
    /// start when candidates must be checked one by one, else from `offset`.
    func relevantPage(_ search: MessageSearch, parameters: GuildSearchParameters, candidate: GuildSearchCandidate)
        async throws -> [StoredMessage]
    {
        guard candidate.checksEach else {
            return try await history.ranked(search, from: parameters.offset, limit: parameters.limit)
        }
        let wanted = parameters.offset + parameters.limit
        var admitted: [StoredMessage] = []
        var from = 0
        let batch = 500
        while admitted.count < wanted {
            let page = try await history.ranked(search, from: from, limit: batch)
            for message in page {
                if try await candidate.admits(message) { admitted.append(message) }
            }
            guard page.count == batch else { break }
            from += batch
        }
        return Array(admitted.dropFirst(parameters.offset).prefix(parameters.limit))
    }

    /// The store's search for `parameters` in `guild`, or `nil` when nothing can match (`min_id` the largest id, or
    /// every channel named age-restricted and `include_nsfw` not set).
    func archiveSearch(_ parameters: GuildSearchParameters, in guild: Snowflake<Guild>) async throws -> MessageSearch? {
        // No id is above the largest one.
        if parameters.minimumId?.rawValue == .max { return nil }
        var search = MessageSearch(
            words: parameters.contentWords, authors: parameters.authors, channels: parameters.channels, guild: guild,
            // `min_id` and `max_id` are exclusive; the store's minimum is inclusive.
            minimumId: parameters.minimumId.map { Snowflake<Message>($0.rawValue + 1) },
            maximumId: parameters.maximumId,
            pinned: parameters.pinned, deleted: false)
        search.mentions = parameters.mentions
        search.has = parameters.has.compactMap(Self.storeContent)
        // What the JSON is checked for needs an embed, an attachment or a link: the store narrows to those first.
        let needs: [(Bool, MessageSearch.Content)] = [
            (!parameters.embedTypes.isEmpty || !parameters.embedProviders.isEmpty, .embed),
            (!parameters.attachmentFilenames.isEmpty || !parameters.attachmentExtensions.isEmpty, .file),
            (!parameters.linkHostnames.isEmpty, .link),
        ]
        for (needed, content) in needs where needed && !search.has.contains(content) { search.has.append(content) }
        search.lacks = parameters.lacks.compactMap(Self.storeContent)
        search.authorTypes = parameters.authorTypes.compactMap { MessageSearch.AuthorType(rawValue: $0.rawValue) }
        search.excludedAuthorTypes = parameters.excludedAuthorTypes.compactMap {
            MessageSearch.AuthorType(rawValue: $0.rawValue)
        }
        // Age-restricted channels (and their threads) are left out unless `include_nsfw` (the docs: default false).
        guard !parameters.includeNSFW else { return search }
        let channels = try await history.channels(in: guild)
        let restricted = Set(channels.filter { Self.isAgeRestricted($0.json) }.map(\.id))
        guard !restricted.isEmpty else { return search }
        let allowed = channels.filter {
            !restricted.contains($0.id) && !($0.parentId.map(restricted.contains) ?? false)
        }
        let named = Set(parameters.channels)
        search.channels = allowed.map(\.id).filter { named.isEmpty || named.contains($0) }
        return search.channels.isEmpty ? nil : search
    }

    /// What the store's `has:` calls a search `has` value (a forward, `snapshot`, is checked on the JSON).
    static func storeContent(_ content: GuildSearchParameters.Content) -> MessageSearch.Content? {
        MessageSearch.Content(rawValue: content.rawValue)
    }

    /// Whether a stored channel is age-restricted (`nsfw: true`).
    static func isAgeRestricted(_ json: Data) -> Bool {
        JSONScanner.member("nsfw", in: json).map { String(decoding: $0, as: UTF8.self) == "true" } ?? false
    }

    /// A message's stored JSON as a search result: without its top-level `reactions` (the docs: search returns
    /// messages "without the `reactions` key") and with `hit: true` (the spec's `SearchMessageResponse` requires it;
    /// the docs do not mention it), every other byte as stored.
    static func searchResult(_ json: Data) -> Data {
        json.withUnsafeBytes { buffer -> Data in
            var scanner = JSONScanner(buffer)
            let reader = JSONScanner(buffer)
            var kept: [Range<Int>] = []
            do {
                try scanner.forEachMember { key, value in
                    // A member runs from its key's opening quote to the end of its value.
                    if !reader.key(key, is: "reactions"), !reader.key(key, is: "hit") {
                        kept.append((key.contents.lowerBound - 1)..<value.upperBound)
                    }
                    return true
                }
            } catch {
                return json
            }
            var bytes: [UInt8] = [UInt8(ascii: "{")]
            for range in kept {
                bytes += buffer[range]
                bytes.append(UInt8(ascii: ","))
            }
            bytes += Array(#""hit":true}"#.utf8)
            return Data(bytes)
        }
    }
}
