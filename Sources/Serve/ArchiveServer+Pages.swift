import ArchiveStore
import DiscordModels
import Foundation
import Hummingbird

extension ArchiveServer {
    /// The HTML viewer: guilds, a guild's channels, a channel around a message, search.
    func addPageRoutes(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in
            var body = "<ul>"
            for guild in try await guilds() {
                let name = (try? JSONDecoder().decode(Guild.self, from: guild.json))?.name ?? guild.id.description
                body += "<li><a href=\"/guilds/\(guild.id)\">\(HTMLText.escape(name))</a></li>"
            }
            return ServeResponses.html(HTMLPage.render(title: "Guilds", body: body + "</ul>"))
        }
        router.get("guilds/:guild") { _, context in
            guard let id: Snowflake<Guild> = Self.id(context, "guild"), try await hasGuild(id) else {
                return Self.notFoundPage("No such guild in the archive.")
            }
            let channels = try await store.channels(in: id)
            return ServeResponses.html(HTMLPage.render(title: "Channels", body: Self.channelList(channels)))
        }
        router.get("channels/:channel") { request, context in
            guard let channel = try await storedChannel(context) else {
                return Self.notFoundPage("No such channel in the archive.")
            }
            let page: MessagePageRequest
            do {
                page = try MessagePageRequest(query: Self.query(request))
            } catch let error as MessagePageRequest.FieldError {
                return ServeResponses.html(
                    HTMLPage.render(title: "Bad request", body: "<p>\(HTMLText.escape(error.message))</p>"),
                    status: .badRequest)
            }
            let messages = try await messagePage(page, in: channel.id.cast(), includeDeleted: true)
            let name = (try? JSONDecoder().decode(Channel.self, from: channel.json))?.name ?? channel.id.description
            let body = Self.channelBody(channel: channel.id.cast(), messages: Array(messages.reversed()))
            return ServeResponses.html(HTMLPage.render(title: "#" + name, body: body))
        }
        router.get("channels/:channel/history/:message") { _, context in
            guard let channel = try await storedChannel(context),
                let id: Snowflake<Message> = Self.id(context, "message"),
                let message = try await store.message(id, in: channel.id.cast())
            else { return Self.notFoundPage("No such message in the archive.") }
            let revisions = try await store.revisions(of: message.id, in: message.channelId)
            return ServeResponses.html(
                HTMLPage.render(title: "Edit history", body: Self.historyBody(message, revisions: revisions)))
        }
        router.get("search") { request, _ in
            let query = Self.query(request)
            let text = query["q"] ?? ""
            var body = ""
            do {
                let page = try await search(text, guild: nil, cursor: query["cursor"], limit: 25)
                let words = (try? SearchQuery(parsing: text)).map { $0.words + $0.phrases.flatMap { $0 } } ?? []
                body += "<ol>"
                for message in page.results {
                    let link = "/channels/\(message.channelId)?around=\(message.id)#m\(message.id)"
                    body +=
                        "<li><a href=\"\(link)\">\(Self.authorName(of: message))</a> "
                        + "<time>\(HTMLText.escape(message.timestamp.rawValue))</time>"
                        + "<div class=\"snippet\">"
                        + HTMLText.highlight(Self.snippet(of: message.content, words: words), words: words)
                        + "</div></li>"
                }
                body += "</ol>"
                if let next = page.next {
                    let encoded = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                    body += "<p class=\"nav\"><a href=\"/search?q=\(encoded)&amp;cursor=\(next)\">More results</a></p>"
                }
            } catch let error as SearchQueryError {
                body = "<p class=\"note\">\(HTMLText.escape(error.message))</p>"
            }
            return ServeResponses.html(HTMLPage.render(title: "Search", body: body, query: text))
        }
    }

    static func notFoundPage(_ text: String) -> Response {
        ServeResponses.html(
            HTMLPage.render(title: "Not found", body: "<p>\(HTMLText.escape(text))</p>"), status: .notFound)
    }

    /// Channels by category (uncategorized first), each followed by its threads and forum posts.
    static func channelList(_ channels: [StoredChannel]) -> String {
        let sorted = channels.sorted { ($0.position ?? 0, $0.id) < ($1.position ?? 0, $1.id) }
        var html = "<ul class=\"channels\">"
        func item(_ channel: StoredChannel) {
            let name = HTMLText.escape(channel.name ?? channel.id.description)
            let tombstone = channel.deletedAt == nil ? "" : " <span class=\"note\">(deleted)</span>"
            if channel.type.rawValue == 4 {
                html += "<li><strong>\(name)</strong>\(tombstone)</li>"
            } else {
                html +=
                    "<li class=\"\(channel.isThread ? "thread" : "channel")\">"
                    + "<a href=\"/channels/\(channel.id)\">#\(name)</a>\(tombstone)</li>"
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

    /// Messages oldest first, grouped by author, with a separator at each new UTC day and links to older and
    /// newer pages.
    static func channelBody(channel: Snowflake<Channel>, messages: [StoredMessage]) -> String {
        var html = ""
        if let first = messages.first {
            html += "<p class=\"nav\"><a href=\"/channels/\(channel)?before=\(first.id)\">Older messages</a></p>"
        }
        var day = ""
        var author: Snowflake<User>?
        var open = false
        for message in messages {
            let timestamp = message.timestamp.rawValue
            let messageDay = String(timestamp.prefix(10))
            if messageDay != day {
                if open { html += "</div>" }
                open = false
                html += "<div class=\"day\">\(HTMLText.escape(messageDay))</div>"
                day = messageDay
                author = nil
            }
            if !open || author != message.authorId {
                if open { html += "</div>" }
                html +=
                    "<div class=\"group\"><span class=\"author\">\(authorName(of: message))</span>"
                    + "<time>\(HTMLText.escape(timestamp))</time>"
                open = true
                author = message.authorId
            }
            html += messageHTML(message)
        }
        if open { html += "</div>" }
        if let last = messages.last {
            html += "<p class=\"nav\"><a href=\"/channels/\(channel)?after=\(last.id)\">Newer messages</a></p>"
        } else {
            html += "<p class=\"note\">No messages here.</p>"
        }
        return html
    }

    /// One message: a reply's jump to what it answers, its text escaped, its attachments (downloaded images
    /// inline is later work: by name here), reactions, and edited and deleted marks with a link to the history.
    static func messageHTML(_ message: StoredMessage) -> String {
        let decoded = try? JSONDecoder().decode(Message.self, from: message.json)
        var html = "<div class=\"msg\(message.deletedAt == nil ? "" : " deleted")\" id=\"m\(message.id)\">"
        if message.type == .reply, let target = message.referencedMessageId {
            let targetChannel = message.referencedChannelId ?? message.channelId
            html +=
                "<div class=\"note\">↪ <a href=\"/channels/\(targetChannel)?around=\(target)#m\(target)\">"
                + "replying to a message</a></div>"
        }
        html += HTMLText.escape(message.content)
        for attachment in decoded?.attachments ?? [] {
            html += "<div class=\"note\">📎 \(HTMLText.escape(attachment.filename))</div>"
        }
        if let reactions = decoded?.reactions, !reactions.isEmpty {
            html += "<div class=\"reactions\">"
            for reaction in reactions {
                let name = reaction.emoji.id == nil ? reaction.emoji.name ?? "?" : ":\(reaction.emoji.name ?? "emoji"):"
                html += "<span class=\"reaction\">\(HTMLText.escape(name)) \(reaction.count)</span> "
            }
            html += "</div>"
        }
        if message.editedTimestamp != nil {
            let history = "/channels/\(message.channelId)/history/\(message.id)"
            html += " <a class=\"edited\" href=\"\(history)\">(edited)</a>"
        }
        if message.deletedAt != nil { html += " <span class=\"note\">(deleted)</span>" }
        return html + "</div>"
    }

    /// A message's versions, oldest first, then the current one.
    static func historyBody(_ message: StoredMessage, revisions: [MessageRevision]) -> String {
        var html = "<ol>"
        for revision in revisions {
            let when = revision.editedTimestamp?.rawValue ?? "original"
            html +=
                "<li><time>\(HTMLText.escape(when))</time><div class=\"msg\">"
                + HTMLText.escape(revision.content) + "</div></li>"
        }
        html +=
            "<li><time>\(HTMLText.escape(message.editedTimestamp?.rawValue ?? "current"))</time> (current)"
            + "<div class=\"msg\">\(HTMLText.escape(message.content))</div></li></ol>"
        html +=
            "<p><a href=\"/channels/\(message.channelId)?around=\(message.id)#m\(message.id)\">Back to the channel</a></p>"
        return html
    }

    /// The escaped display name of a message's author.
    static func authorName(of message: StoredMessage) -> String {
        let author = (try? JSONDecoder().decode(Message.self, from: message.json))?.author
        return HTMLText.escape(author?.globalName ?? author?.username ?? "unknown")
    }
}
