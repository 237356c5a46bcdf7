import ArchiveStore
import DiscordModels
import Export
import Foundation

/// A window of a channel's messages as the viewer shows them, oldest first: a separator at each new UTC day,
/// consecutive messages of one author grouped under their name, avatar and time, each message rendered by the
/// exporter's renderer (``MessageHTMLRenderer``) with its reply jump, pin, edit history (earlier versions inline)
/// and tombstone, and a link to the thread it started. The same HTML is served in the page and, for infinite
/// scroll, in `/skald/api/channels/{id}/page`.
struct ChannelLog {
    let history: MergedHistory
    let renderer: MessageHTMLRenderer
    /// Threads by the id of the message that started them (a thread's id is its starter message's id).
    let threads: [UInt64: StoredChannel]

    /// A log for a channel: its guild's renderer and its threads (from `siblings`, the channels of its guild).
    static func make(
        for channel: StoredChannel, among siblings: [StoredChannel], store: any ArchiveStore, mediaPrefix: String?
    ) async throws -> Self {
        let renderer = try await MessageHTMLRenderer(
            store: store, guildId: channel.guildId, mediaURLPrefix: mediaPrefix)
        var threads: [UInt64: StoredChannel] = [:]
        if !channel.isThread {
            for thread in siblings where thread.isThread && thread.parentId == channel.id {
                threads[thread.id.rawValue] = thread
            }
        }
        return ChannelLog(
            history: MergedHistory(store: store, mediaURLPrefix: mediaPrefix), renderer: renderer, threads: threads)
    }

    /// The HTML of `messages` (oldest first); `readAhead`: their members, users and reaction users are read in a
    /// few queries first (``MessageHTMLRenderer/prepare(_:channelId:)``), which changes nothing but the time.
    func html(_ messages: [StoredMessage], readAhead: Bool = true) async throws -> String {
        var html = ""
        var day = ""
        var author: Snowflake<User>?
        var groupStart: Date?
        var open = false
        let raws = messages.map { try? JSONValue.parse($0.json) }
        if readAhead, let channel = messages.first?.channelId {
            await renderer.prepare(raws.compactMap { $0 }, channelId: channel)
        }
        for (message, raw) in zip(messages, raws) {
            let timestamp = message.timestamp.rawValue
            let messageDay = String(timestamp.prefix(10))
            if messageDay != day {
                if open { html += "</div>" }
                open = false
                html += "<div class=\"day\">\(HTMLEscape.text(messageDay))</div>"
                day = messageDay
            }
            let time = message.id.date
            let startsGroup =
                !open || author != message.authorId || message.type == .reply
                || groupStart.map { time.timeIntervalSince($0) > 420 } ?? true
            var rendered = Self.unreadable
            if let raw { rendered = await renderer.render(raw) }
            if startsGroup {
                if open { html += "</div>" }
                let who = rendered.author
                let color = who.color.map { " style=\"color:\($0)\"" } ?? ""
                html +=
                    "<div class=\"group\"><img class=\"avatar\" src=\"\(HTMLEscape.url(who.avatarURL))\" alt=\"\" "
                    + "loading=\"lazy\"><div class=\"head\"><span class=\"author\"\(color)>"
                    + "\(HTMLEscape.text(who.name))</span><time datetime=\"\(HTMLEscape.text(timestamp))\">"
                    + "\(HTMLEscape.text(Self.shownTime(timestamp)))</time></div>"
                open = true
                author = message.authorId
                groupStart = time
            }
            html += try await messageHTML(message, raw: raw ?? .object([]), body: rendered.body)
        }
        if open { html += "</div>" }
        return html
    }

    /// What a message whose stored JSON cannot be read shows: an unknown author, no body.
    static let unreadable = (
        author: (name: "unknown", avatarURL: "https://cdn.discordapp.com/embed/avatars/0.png", color: String?.none),
        body: ""
    )

    /// `2023-11-14 22:13` from a Discord timestamp.
    static func shownTime(_ timestamp: String) -> String {
        String(timestamp.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// One message (`raw`: its JSON parsed; `body`: rendered) with its marks.
    func messageHTML(_ message: StoredMessage, raw: JSONValue, body: String) async throws -> String {
        let deleted = message.deletedAt != nil
        var html =
            "<div class=\"msg\(deleted ? " deleted" : "")\" id=\"m\(message.id)\" data-id=\"\(message.id)\">"
        if message.type == .reply, let target = message.referencedMessageId {
            let targetChannel = message.referencedChannelId ?? message.channelId
            let quoted = await renderer.text(Self.referencedPreview(raw), of: raw, inline: true)
            html +=
                "<div class=\"reply\">↪ <a class=\"jump\" href=\"/channels/\(targetChannel)?around=\(target)#m\(target)\">"
                + "replying to \(quoted)</a></div>"
        }
        html += body
        var marks: [String] = []
        if message.pinned { marks.append("<span class=\"note\">📌 pinned</span>") }
        if message.editedTimestamp != nil {
            let history = "/channels/\(message.channelId)/history/\(message.id)"
            marks.append("<a class=\"edited\" href=\"\(history)\">(edited)</a>")
        }
        if deleted { marks.append("<span class=\"note tombstone\">(deleted)</span>") }
        if !marks.isEmpty { html += "<div class=\"marks\">" + marks.joined(separator: " ") + "</div>" }
        let revisions = try await history.revisions(of: message)
        if !revisions.isEmpty {
            html += "<details class=\"revisions\"><summary>\(revisions.count) earlier version"
            html += revisions.count == 1 ? "</summary><ol>" : "s</summary><ol>"
            for revision in revisions {
                let when = revision.editedTimestamp.map { Self.shownTime($0.rawValue) } ?? "original"
                html +=
                    "<li><time>\(HTMLEscape.text(when))</time><div class=\"chatlog__content\">"
                    + "\(await renderer.text(revision.content, of: raw))</div></li>"
            }
            html += "</ol></details>"
        }
        if let thread = threads[message.id.rawValue] {
            let name = HTMLEscape.text(thread.name ?? thread.id.description)
            html += "<div class=\"thread-link\">🧵 <a href=\"/channels/\(thread.id)\">\(name)</a></div>"
        }
        return html + "</div>"
    }

    /// "NAME: first words" of the message a reply answers, from the reply's JSON (`referenced_message`): its
    /// author's global name or username, its first line cut at 80 characters.
    static func referencedPreview(_ message: JSONValue) -> String {
        guard case .object = message, let referenced = message["referenced_message"] else { return "a message" }
        guard case .object = referenced else { return referenced.isNull ? "a deleted message" : "a message" }
        var name = "unknown"
        if let author = referenced["author"], case .object = author {
            name = author["global_name"]?.string ?? author["username"]?.string ?? ""
        }
        let content = referenced["content"]?.string ?? ""
        let text = content.split(separator: "\n").first.map(String.init) ?? ""
        return text.isEmpty ? name : "\(name): " + (text.count > 80 ? text.prefix(80) + "…" : text)
    }
}
