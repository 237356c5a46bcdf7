import ArchiveStore
import DiscordModels

/// The body of one message in HTML, from its DCE object: the text as markdown (or plain for system messages and
/// imported ones), attachments inline (images, video, audio, other files as links), embeds, stickers and reactions
/// with who reacted. The HTML export and the viewer (`skald serve`) both render messages here.
struct MessageBodyHTML {
    /// The markdown renderer (names of what messages mention come from each message).
    let timeZone: DCETimeZone
    /// Whether texts are rendered as markdown (`--markdown`, on by default) or shown as they are.
    let markdown: Bool
    /// Where channel mentions link to (`/channels/` in the viewer), or `nil`.
    let channelLinkPrefix: String?

    /// Content, attachments, embeds, stickers and reactions of `message`.
    func render(_ message: JSONValue, isSystem: Bool) -> String {
        let renderer = DiscordMarkdownHTML(
            names: MarkdownNames(node: message["skaldNames"], timeZone: timeZone), channelLinkPrefix: channelLinkPrefix)
        var html = ""
        let text = message["content"]?.string ?? ""
        if !text.isEmpty {
            let content = isSystem || !markdown ? HTMLEscape.text(text) : renderer.render(text)
            html += "<div class=\"chatlog__content\(isSystem ? " chatlog__system" : "")\">\(content)</div>"
        }
        if let forwarded = message["forwardedMessage"], case .object = forwarded {
            html += "<div class=\"chatlog__forwarded\"><div class=\"chatlog__timestamp\">Forwarded</div>"
            if let text = forwarded["content"]?.nonBlankString {
                html +=
                    "<div class=\"chatlog__content\">\(markdown ? renderer.render(text) : HTMLEscape.text(text))</div>"
            }
            html += attachments(forwarded) + embeds(forwarded, renderer) + "</div>"
        }
        return html + attachments(message) + embeds(message, renderer) + stickers(message) + reactions(message)
    }

    private enum MediaKind { case image, video, audio, file }

    private static func kind(of fileName: String) -> MediaKind {
        let lower = fileName.lowercased()
        let ext = lower.split(separator: ".").last.map(String.init) ?? ""
        if MessageSearch.Content.image.fileExtensions.contains(ext) { return .image }
        if MessageSearch.Content.video.fileExtensions.contains(ext) { return .video }
        if MessageSearch.Content.sound.fileExtensions.contains(ext) { return .audio }
        return .file
    }

    private func attachments(_ message: JSONValue) -> String {
        var html = ""
        for attachment in message["attachments"]?.elements ?? [] {
            let url = HTMLEscape.url(attachment["url"]?.string ?? "")
            let name = attachment["fileName"]?.string ?? ""
            let file = HTMLEscape.text(name)
            let size = attachment["fileSizeBytes"]?.int ?? 0
            html += "<div class=\"chatlog__attachment\">"
            switch Self.kind(of: name) {
            case .image:
                html += "<a href=\"\(url)\"><img src=\"\(url)\" alt=\"\(file)\" title=\"\(file)\" loading=\"lazy\"></a>"
            case .video:
                html += "<video controls preload=\"none\" src=\"\(url)\" title=\"\(file)\"></video>"
            case .audio:
                html +=
                    "<div class=\"chatlog__attachment-name\">\(file)</div><audio controls preload=\"none\" src=\"\(url)\"></audio>"
            case .file:
                html += "<a href=\"\(url)\">\(file)</a> <span class=\"chatlog__timestamp\">(\(size) bytes)</span>"
            }
            html += "</div>"
        }
        return html
    }

    /// `#rrggbb` as it is, anything else `nil` (colors go into a style attribute).
    static func color(_ text: String?) -> String? {
        guard let text, text.count == 7, text.hasPrefix("#"), text.dropFirst().allSatisfy(\.isHexDigit) else {
            return nil
        }
        return text
    }

    private func embeds(_ message: JSONValue, _ renderer: DiscordMarkdownHTML) -> String {
        var html = ""
        func text(_ value: String) -> String { markdown ? renderer.render(value) : HTMLEscape.text(value) }
        for embed in message["embeds"]?.elements ?? [] {
            let border = Self.color(embed["color"]?.string).map { " style=\"border-color:\($0)\"" } ?? ""
            html += "<div class=\"chatlog__embed\"\(border)>"
            if let author = embed["author"]?["name"]?.nonBlankString {
                let name = HTMLEscape.text(author)
                let linked = embed["author"]?["url"]?.nonBlankString.map {
                    DiscordMarkdownHTML.anchor($0, label: name)
                }
                html += "<div class=\"chatlog__embed-author\">\(linked ?? name)</div>"
            }
            if let title = embed["title"]?.nonBlankString {
                let inner =
                    embed["url"]?.nonBlankString.map { DiscordMarkdownHTML.anchor($0, label: HTMLEscape.text(title)) }
                    ?? (markdown ? renderer.renderInline(title) : HTMLEscape.text(title))
                html += "<div class=\"chatlog__embed-title\">\(inner)</div>"
            }
            if let description = embed["description"]?.nonBlankString {
                html += "<div class=\"chatlog__content\">\(text(description))</div>"
            }
            let fields = embed["fields"]?.elements ?? []
            if !fields.isEmpty {
                html += "<div class=\"chatlog__embed-fields\">"
                for field in fields {
                    let inline = field["isInline"]?.bool == true ? " chatlog__embed-field--inline" : ""
                    html +=
                        "<div class=\"chatlog__embed-field\(inline)\"><div class=\"chatlog__embed-field-name\">"
                        + (markdown
                            ? renderer.renderInline(field["name"]?.string ?? "")
                            : HTMLEscape.text(field["name"]?.string ?? ""))
                        + "</div><div class=\"chatlog__content\">\(text(field["value"]?.string ?? ""))</div></div>"
                }
                html += "</div>"
            }
            let images = (embed["images"]?.elements ?? []) + [embed["thumbnail"]].compactMap { $0 }
            for image in images {
                guard let url = image["url"]?.nonBlankString else { continue }
                html +=
                    "<div class=\"chatlog__embed-image\"><img src=\"\(HTMLEscape.url(url))\" alt=\"Image\" loading=\"lazy\"></div>"
            }
            if let footer = embed["footer"]?["text"]?.nonBlankString {
                html += "<div class=\"chatlog__embed-footer\">\(HTMLEscape.text(footer))</div>"
            }
            html += "</div>"
        }
        return html
    }

    private func stickers(_ message: JSONValue) -> String {
        var html = ""
        for sticker in message["stickers"]?.elements ?? [] {
            let name = HTMLEscape.text(sticker["name"]?.string ?? "")
            if sticker["format"]?.string == "Lottie" {
                html += "<div class=\"chatlog__sticker chatlog__sticker--text\">[\(name)]</div>"
                continue
            }
            let url = HTMLEscape.url(sticker["sourceUrl"]?.string ?? "")
            html += "<img class=\"chatlog__sticker\" src=\"\(url)\" alt=\"\(name)\" title=\"\(name)\" loading=\"lazy\">"
        }
        return html
    }

    private func reactions(_ message: JSONValue) -> String {
        let reactions = message["reactions"]?.elements ?? []
        guard !reactions.isEmpty else { return "" }
        var html = "<div class=\"chatlog__reactions\">"
        for reaction in reactions {
            let emoji = reaction["emoji"] ?? .object([])
            let who = (reaction["users"]?.elements ?? []).map { $0["nickname"]?.string ?? $0["name"]?.string ?? "" }
            let code = emoji["code"]?.string ?? emoji["name"]?.string ?? ""
            let title = who.isEmpty ? ":\(code):" : ":\(code): " + who.joined(separator: ", ")
            html += "<span class=\"chatlog__reaction\" title=\"\(HTMLEscape.text(title))\">"
            if let id = emoji["id"]?.nonBlankString {
                // The emoji's image as the DCE object holds it (a `--media` export's file), else Discord's CDN.
                let url =
                    emoji["imageUrl"]?.nonBlankString
                    ?? "https://cdn.discordapp.com/emojis/\(id).\(emoji["isAnimated"]?.bool == true ? "gif" : "png")"
                html +=
                    "<img class=\"chatlog__emoji\" src=\"\(HTMLEscape.url(url))\" alt=\"\(HTMLEscape.text(emoji["name"]?.string ?? ""))\" loading=\"lazy\">"
            } else {
                html += "<span class=\"chatlog__emoji\">\(HTMLEscape.text(emoji["name"]?.string ?? ""))</span>"
            }
            html += " \(reaction["count"]?.int ?? 0)</span>"
        }
        return html + "</div>"
    }
}
