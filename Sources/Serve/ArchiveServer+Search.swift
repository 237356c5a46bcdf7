import ArchiveStore
import DiscordModels
import Foundation

extension ArchiveServer {
    /// One page of search results and the cursor of the next page.
    struct SearchPage {
        var results: [StoredMessage]
        var next: String?
    }

    /// How results are ordered.
    enum SearchOrder: String {
        /// Newest first; the cursor is the last message id of the page.
        case newest
        /// Most relevant first; the cursor is the number of results already shown.
        case relevance
    }

    /// Runs a user's query (see ``resolvedSearch(_:guild:)``): `limit` results from `cursor` (see ``SearchOrder``).
    func search(
        _ text: String, guild: Snowflake<Guild>?, cursor: String?, order: SearchOrder = .newest, limit: Int
    ) async throws -> SearchPage {
        guard let search = try await resolvedSearch(text, guild: guild) else {
            return SearchPage(results: [], next: nil)
        }
        let cursor = cursor?.isEmpty == true ? nil : cursor
        // A cursor is what an earlier page answered as `next`; anything else would silently restart the search.
        let notACursor = SearchQueryError("cursor \(cursor ?? "") is not one a search answered: pass its next")
        switch order {
        case .newest:
            let before = try cursor.map { text in
                guard let id = Snowflake<Message>(text) else { throw notACursor }
                return id
            }
            let found = try await history.search(search, before: before, limit: limit + 1)
            let results = Array(found.prefix(limit))
            return SearchPage(results: results, next: found.count > limit ? results.last?.id.description : nil)
        case .relevance:
            let offset =
                try cursor.map { text in
                    guard let offset = Int(text), offset >= 0 else { throw notACursor }
                    return offset
                } ?? 0
            let found = try await history.ranked(search, from: offset, limit: limit + 1)
            let results = Array(found.prefix(limit))
            return SearchPage(results: results, next: found.count > limit ? String(offset + limit) : nil)
        }
    }

    /// The guild a search is limited to: none (`guild` absent or empty), or the id of a guild the archive holds
    /// (tombstoned ones too). Anything else is refused rather than quietly searched everywhere.
    func searchedGuild(_ query: [String: String]) async throws -> Snowflake<Guild>? {
        guard let text = query["guild"], !text.isEmpty else { return nil }
        guard let id = Snowflake<Guild>(text) else {
            throw SearchQueryError("guild takes a guild's id (a number), not \(text)")
        }
        if try await store.object(.guild, id: id.cast()) == nil, try await history.guild(id) == nil {
            throw SearchQueryError("guild \(text) is not in the archive: /skald/api/guilds lists the archived guilds")
        }
        return id
    }

    /// How many results a page of the search API holds: 25 by default, 1 to 100; anything else is refused.
    static func searchLimit(_ query: [String: String]) throws -> Int {
        guard let text = query["limit"] else { return 25 }
        guard let limit = Int(text), (1...100).contains(limit) else {
            throw SearchQueryError("limit takes a whole number from 1 to 100, not \(text)")
        }
        return limit
    }

    /// A user's query as the store's search: `from:`, `mentions:` and `in:` names resolved against the archive
    /// (`in:` includes the channel's threads); `nil` for an empty query.
    func resolvedSearch(_ text: String, guild: Snowflake<Guild>?) async throws -> MessageSearch? {
        let query = try SearchQuery(parsing: text)
        guard !query.isEmpty else { return nil }
        let users = query.from.isEmpty && query.mentions.isEmpty ? [] : try await store.objects(.user, in: nil)
        let authors = try await resolveUsers(query.from, among: users, operator: "from")
        let mentions = try await resolveUsers(query.mentions, among: users, operator: "mentions")
        var channels: [Snowflake<Channel>] = []
        if !query.inChannels.isEmpty {
            let all = try await history.channels(in: guild)
            for value in query.inChannels {
                let named = value.hasPrefix("#") ? String(value.dropFirst()) : value
                let matches = all.filter {
                    $0.id.description == named || $0.name?.lowercased() == named.lowercased()
                }
                guard !matches.isEmpty else { throw SearchQueryError("in: no archived channel is named \(value)") }
                let ids = Set(matches.map(\.id))
                channels += matches.map(\.id) + all.filter { $0.parentId.map(ids.contains) ?? false }.map(\.id)
            }
        }
        return query.resolved(authors: authors, mentions: mentions, channels: channels, guild: guild)
    }

    /// User ids for `from:` / `mentions:` values: an id as it is, a name matched against the archived users'
    /// usernames and display names (case-insensitively), else against the authors of imported messages (DCE's
    /// `name` and `nickname`).
    func resolveUsers(_ values: [String], among users: [StoredObject], operator key: String) async throws
        -> [Snowflake<User>]
    {
        var ids: [Snowflake<User>] = []
        for value in values {
            if let id = Snowflake<User>(value) {
                ids.append(id)
                continue
            }
            let name = value.hasPrefix("@") ? String(value.dropFirst()).lowercased() : value.lowercased()
            let matches: [Snowflake<User>] = users.filter { Self.userNames(of: $0.json).contains(name) }.map {
                $0.id.cast()
            }
            let found = matches.isEmpty ? try await store.importedAuthors(named: name) : matches
            guard !found.isEmpty else {
                throw SearchQueryError("\(key): no archived or imported user is named \(value)")
            }
            ids += found
        }
        return ids
    }

    /// A user's lower-cased username and global name, from the stored JSON.
    static func userNames(of json: Data) -> Set<String> {
        guard let user = try? JSONDecoder().decode(User.self, from: json) else { return [] }
        return Set([user.username, user.globalName].compactMap { $0?.lowercased() })
    }

    /// Up to 160 characters of `content` around the first word of `query` that occurs in it.
    static func snippet(of content: String, words: [String]) -> String {
        let limit = 160
        guard content.count > limit else { return content }
        let lowered = content.lowercased()
        for word in words {
            guard let range = lowered.range(of: word.lowercased()) else { continue }
            let offset = lowered.distance(from: lowered.startIndex, to: range.lowerBound)
            let start = max(0, min(offset - limit / 3, content.count - limit))
            let startIndex = content.index(content.startIndex, offsetBy: start)
            let endIndex = content.index(startIndex, offsetBy: limit)
            return (start > 0 ? "…" : "") + content[startIndex..<endIndex] + (endIndex < content.endIndex ? "…" : "")
        }
        return String(content.prefix(limit)) + "…"
    }
}
