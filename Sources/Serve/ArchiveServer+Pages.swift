import ArchiveStore
import DiscordModels
import Export
import Foundation
import Hummingbird

extension ArchiveServer {
    /// The HTML viewer: guilds, a guild's channels, a channel around a message, a message's history, search.
    func addPageRoutes(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in
            var body = "<ul class=\"channels\">"
            for guild in try await guilds() {
                let name = (try? JSONDecoder().decode(Guild.self, from: guild.json))?.name ?? guild.id.description
                body += "<li><a href=\"/guilds/\(guild.id)\">\(HTMLEscape.text(name))</a></li>"
            }
            return ServeResponses.html(HTMLPage.render(title: "Guilds", body: body + "</ul>"))
        }
        router.get("guilds/:guild") { _, context in
            guard let id: Snowflake<Guild> = Self.id(context, "guild"), try await hasGuild(id) else {
                return Self.notFoundPage("No such guild in the archive.")
            }
            let channels = try await history.channels(in: id)
            return ServeResponses.html(HTMLPage.render(title: "Channels", body: Self.channelList(channels)))
        }
        router.get("channels/:channel") { request, context in
            guard let (channel, siblings) = try await channelRecords(context) else {
                return Self.notFoundPage("No such channel in the archive.")
            }
            let page = try Self.messagePage(of: request) { error in
                ServeResponses.html(
                    HTMLPage.render(title: "Bad request", body: "<p>\(HTMLEscape.text(error.message))</p>"),
                    status: .badRequest)
            }
            let name = channel.name ?? channel.id.description
            let body = try await channelBody(channel, among: siblings, page: page)
            return ServeResponses.html(HTMLPage.render(title: (channel.isThread ? "🧵 " : "#") + name, body: body))
        }
        router.get("channels/:channel/history/:message") { _, context in
            guard let channel = try await channelRecord(context),
                let id: Snowflake<Message> = Self.id(context, "message"),
                let message = try await history.message(id, in: channel.id.cast())
            else { return Self.notFoundPage("No such message in the archive.") }
            let revisions = try await history.revisions(of: message)
            let body = try await historyBody(message, revisions: revisions, channel: channel)
            return ServeResponses.html(HTMLPage.render(title: "Edit history", body: body))
        }
        router.get("search") { request, _ in
            let query = Self.query(request)
            let text = Self.searchText(query)
            var body = Self.searchForm(query)
            do {
                let page = try await search(text, guild: nil, cursor: query["cursor"], limit: 25)
                let words = (try? SearchQuery(parsing: text)).map(\.highlightedWords) ?? []
                if !text.isEmpty, page.results.isEmpty { body += "<p class=\"note\">No messages found.</p>" }
                body += "<ol class=\"results\">"
                let names = try await channelNames()
                for message in page.results {
                    let link = "/channels/\(message.channelId)?around=\(message.id)#m\(message.id)"
                    let channel = names[message.channelId.rawValue].map { "#" + $0 } ?? "#\(message.channelId)"
                    body +=
                        "<li><a href=\"\(link)\">\(Self.authorName(of: message))</a> "
                        + "<span class=\"note\">in \(HTMLEscape.text(channel))</span>"
                        + "<time>\(HTMLEscape.text(ChannelLog.shownTime(message.timestamp.rawValue)))</time>"
                        + (message.deletedAt == nil ? "" : " <span class=\"note tombstone\">(deleted)</span>")
                        + "<div class=\"snippet\">"
                        + HTMLEscape.highlight(Self.snippet(of: message.content, words: words), words: words)
                        + "</div></li>"
                }
                body += "</ol>"
                let encoded = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                if !page.results.isEmpty {
                    body +=
                        "<p class=\"nav\"><a class=\"export\" href=\"/skald/api/search/export.zip?q=\(encoded)\" "
                        + "download>Export every match as DCE JSON</a> "
                        + "<span class=\"note\">(a ZIP of one DiscordChatExporter file per channel)</span></p>"
                }
                if let next = page.next {
                    body += "<p class=\"nav\"><a href=\"/search?q=\(encoded)&amp;cursor=\(next)\">More results</a></p>"
                }
            } catch let error as SearchQueryError {
                body += "<p class=\"note\">\(HTMLEscape.text(error.message))</p>"
            }
            return ServeResponses.html(HTMLPage.render(title: "Search", body: body, query: text))
        }
    }

    /// The search text: `q`, plus `after:`/`before:` from the form's date pickers.
    static func searchText(_ query: [String: String]) -> String {
        var text = query["q"] ?? ""
        for key in ["after", "before"] {
            if let date = query[key], date.count == 10, date.allSatisfy({ $0.isNumber || $0 == "-" }) {
                text += (text.isEmpty ? "" : " ") + "\(key):\(date)"
            }
        }
        return text
    }

    /// The search form with the date pickers and the operators explained.
    static func searchForm(_ query: [String: String]) -> String {
        """
        <form class="search" action="/search" method="get"><input type="search" name="q" \
        value="\(HTMLEscape.text(query["q"] ?? ""))" aria-label="Search words"> \
        <label>after <input type="date" name="after" value="\(HTMLEscape.text(query["after"] ?? ""))"></label> \
        <label>before <input type="date" name="before" value="\(HTMLEscape.text(query["before"] ?? ""))"></label> \
        <button>Search</button></form>
        <p class="help">Words, <code>"a phrase"</code>, <code>-word</code>, <code>a OR b</code>; \
        <code>from:name</code> <code>mentions:name</code> <code>in:channel</code> \
        <code>has:link|embed|file|image|video|sound|sticker|poll</code> <code>before:2024-05</code> \
        <code>after:2023</code> <code>during:2024-05-01</code> <code>pinned:true</code> \
        <code>author_type:user|bot|webhook</code> <code>edited:true</code> <code>deleted:true</code></p>
        """
    }

    /// Names of every archived or imported channel by id (search results say where they are).
    func channelNames() async throws -> [UInt64: String] {
        var names: [UInt64: String] = [:]
        for channel in try await history.channels(in: nil) { names[channel.id.rawValue] = channel.name }
        return names
    }

    /// A channel's page: its threads or forum posts, then a window of its messages between links to older and
    /// newer ones (the viewer's script loads more in place as the reader scrolls).
    func channelBody(_ channel: StoredChannel, among siblings: [StoredChannel], page: MessagePageRequest)
        async throws -> String
    {
        let log = try await ChannelLog.make(for: channel, among: siblings, store: store, mediaPrefix: mediaPrefix)
        var html = ""
        let threads = log.threads.values.sorted { $0.id > $1.id }
        let isForum = channel.type.rawValue == 15 || channel.type.rawValue == 16
        if !threads.isEmpty {
            html +=
                isForum
                ? "<ul class=\"channels threads\">"
                : "<details class=\"threads\"><summary>\(threads.count) thread(s)</summary><ul class=\"channels\">"
            for thread in threads {
                let name = HTMLEscape.text(thread.name ?? thread.id.description)
                let state = thread.threadArchived == true ? " <span class=\"note\">(archived)</span>" : ""
                html += "<li class=\"thread\">🧵 <a href=\"/channels/\(thread.id)\">\(name)</a>\(state)</li>"
            }
            html += isForum ? "</ul>" : "</ul></details>"
        }
        if let parent = channel.parentId, channel.isThread {
            html += "<p class=\"note\">Thread in <a href=\"/channels/\(parent)\">its channel</a></p>"
        }
        let messages = Array(
            try await messagePage(page, in: channel.id.cast(), includeDeleted: true).reversed())
        guard let first = messages.first, let last = messages.last else {
            return html + (isForum ? "" : "<p class=\"note\">No messages here.</p>")
                + (isForum && threads.isEmpty ? "<p class=\"note\">No posts here.</p>" : "")
        }
        let (reachedOldest, newest) = Self.edges(of: page, count: messages.count)
        if !reachedOldest {
            html +=
                "<a class=\"nav\" id=\"load-older\" href=\"/channels/\(channel.id)?before=\(first.id)\">Older messages</a>"
        }
        html += "<div id=\"log\" data-channel=\"\(channel.id)\">" + (try await log.html(messages)) + "</div>"
        if !newest {
            html +=
                "<a class=\"nav\" id=\"load-newer\" href=\"/channels/\(channel.id)?after=\(last.id)\">Newer messages</a>"
        }
        return html
    }

    /// Whether a page of `count` messages reached the oldest and the newest message of the channel.
    static func edges(of page: MessagePageRequest, count: Int) -> (oldest: Bool, newest: Bool) {
        let short = count < page.limit
        switch page.cursor {
        case .latest: return (short, true)
        case .before: return (short, false)
        case .after: return (false, short)
        case .around: return (false, false)
        }
    }

    /// Where downloaded attachments are linked (`/media/`), or `nil` without a media folder (none configured, or
    /// none on disk: then no attachment's saved path is looked up, one query per attachment less).
    var mediaPrefix: String? { configuration.mediaFolder?.exists == true ? "/media/" : nil }

    static func notFoundPage(_ text: String) -> Response {
        ServeResponses.html(
            HTMLPage.render(title: "Not found", body: "<p>\(HTMLEscape.text(text))</p>"), status: .notFound)
    }

    /// Channels by category (uncategorized first), each followed by its threads and forum posts.
    static func channelList(_ channels: [StoredChannel]) -> String {
        let sorted = channels.sorted { ($0.position ?? 0, $0.id) < ($1.position ?? 0, $1.id) }
        var html = "<ul class=\"channels\">"
        func item(_ channel: StoredChannel) {
            let name = HTMLEscape.text(channel.name ?? channel.id.description)
            let tombstone = channel.deletedAt == nil ? "" : " <span class=\"note\">(deleted)</span>"
            let kind = channel.type.rawValue
            if kind == 4 {
                html += "<li class=\"category\">\(name)\(tombstone)</li>"
            } else {
                let icon = channel.isThread ? "🧵 " : kind == 15 || kind == 16 ? "💬 " : kind == 2 ? "🔊 " : ""
                html +=
                    "<li class=\"\(channel.isThread ? "thread" : "channel")\">"
                    + "\(icon)<a href=\"/channels/\(channel.id)\">#\(name)</a>\(tombstone)</li>"
            }
        }
        func channelWithThreads(_ channel: StoredChannel) {
            item(channel)
            for thread in sorted where thread.isThread && thread.parentId == channel.id { item(thread) }
        }
        let categories = sorted.filter { $0.type.rawValue == 4 }
        let categoryIDs = Set(categories.map(\.id))
        for channel in sorted where !channel.isThread && channel.type.rawValue != 4 {
            if channel.parentId.map(categoryIDs.contains) != true { channelWithThreads(channel) }
        }
        for category in categories {
            item(category)
            for channel in sorted where !channel.isThread && channel.parentId == category.id {
                channelWithThreads(channel)
            }
        }
        return html + "</ul>"
    }

    /// A message's versions, oldest first, then the current one, each rendered as markdown.
    func historyBody(_ message: StoredMessage, revisions: [MessageRevision], channel: StoredChannel) async throws
        -> String
    {
        let renderer = try await MessageHTMLRenderer(
            store: store, guildId: channel.guildId, mediaURLPrefix: mediaPrefix)
        var html = "<ol class=\"results\">"
        for revision in revisions {
            let when = revision.editedTimestamp.map { ChannelLog.shownTime($0.rawValue) } ?? "original"
            html +=
                "<li><time>\(HTMLEscape.text(when))</time><div class=\"chatlog__content\">"
                + (await renderer.text(revision.content, of: message.json)) + "</div></li>"
        }
        let current = message.editedTimestamp.map { ChannelLog.shownTime($0.rawValue) } ?? "current"
        html +=
            "<li><time>\(HTMLEscape.text(current))</time> <span class=\"note\">(current)</span>"
            + "<div class=\"chatlog__content\">\(await renderer.text(message.content, of: message.json))</div></li></ol>"
        if message.deletedAt != nil { html += "<p class=\"note tombstone\">This message was deleted.</p>" }
        html +=
            "<p><a href=\"/channels/\(message.channelId)?around=\(message.id)#m\(message.id)\">Back to the channel</a></p>"
        return html
    }

    /// The escaped display name of a message's author.
    static func authorName(of message: StoredMessage) -> String {
        let author = (try? JSONDecoder().decode(Message.self, from: message.json))?.author
        return HTMLEscape.text(author?.globalName ?? author?.username ?? "unknown")
    }
}
