/// A self-contained HTML page per channel (or partition) that looks like a Discord channel, dark or light.
/// Every piece of text, name and URL is escaped; no script is included.
struct HTMLDocumentFormat: DocumentFormat {
    let dark: Bool
    let timeZone: DCETimeZone
    private var groupAuthor: String?
    private var groupTime: DCETime?
    private var groupOpen = false

    init(dark: Bool, timeZone: DCETimeZone) {
        self.dark = dark
        self.timeZone = timeZone
    }

    /// Escapes text for HTML element content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A URL safe to put in `href`/`src`: only http(s) and relative paths, escaped.
    static func safeURL(_ url: String) -> String {
        let lower = url.lowercased().trimmingCharacters(in: .whitespaces)
        if lower.hasPrefix("javascript:") || lower.hasPrefix("data:") || lower.hasPrefix("vbscript:") { return "#" }
        return escape(url)
    }

    private var css: String {
        let (bg, fg, muted, border, embed) =
            dark
            ? ("#36393e", "#dcddde", "#a3a6aa", "#4f545c", "#2f3136")
            : ("#ffffff", "#2e3338", "#747f8d", "#e3e5e8", "#f2f3f5")
        return """
            body{margin:0;padding:0;background:\(bg);color:\(fg);font-family:"gg sans","Helvetica Neue",Helvetica,\
            Arial,sans-serif;font-size:16px}a{color:#00aff4}.preamble{display:grid;grid-template-columns:auto 1fr;\
            max-width:100%;padding:1rem}.preamble__guild-icon{width:88px;height:88px}.preamble__entries{margin-left:\
            1rem}.preamble__entry{font-size:1.4em}.preamble__entry--small{font-size:1rem}.chatlog{padding:1rem 0;\
            border-top:1px solid \(border);border-bottom:1px solid \(border)}.chatlog__message-group{margin-bottom:\
            1rem}.chatlog__message-container{padding:.125rem 1rem}.chatlog__message{display:grid;grid-template-columns:\
            auto 1fr}.chatlog__avatar{width:40px;height:40px;border-radius:50%;margin-right:1rem}.chatlog__author{\
            font-weight:600}.chatlog__timestamp{margin-left:.3rem;color:\(muted);font-size:.75rem}.chatlog__content{\
            white-space:pre-wrap;word-wrap:break-word}.chatlog__system{color:\(muted);font-style:italic}\
            .chatlog__reference{color:\(muted);font-size:.875rem}.chatlog__attachment img{max-width:45vw;max-height:\
            500px;border-radius:3px}.chatlog__embed{margin-top:.3rem;padding:.5rem .75rem;background:\(embed);\
            border-left:4px solid \(border);border-radius:3px;max-width:520px}.chatlog__embed-title{font-weight:600}\
            .chatlog__reaction{display:inline-block;margin:.35rem .1rem 0 0;padding:.125rem .375rem;border-radius:8px;\
            background:\(embed)}.chatlog__emoji{width:1.375em;height:1.375em;vertical-align:-.4em}.chatlog__sticker{\
            width:180px;height:180px}.postamble{padding:1.25rem;color:\(muted)}
            """
    }

    mutating func preamble(_ header: DocumentHeader) -> [UInt8] {
        let guild = Self.escape(header.guild["name"]?.string ?? "")
        let channel = Self.escape(header.channel["name"]?.string ?? "")
        let path = header.parentName.map { Self.escape($0) + " / " + channel } ?? channel
        var html = """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" \
            content="width=device-width"><title>\(guild) - \(channel)</title><style>\(css)</style></head><body>\
            <div class="preamble"><img class="preamble__guild-icon" src="\(Self.safeURL(header.guild["iconUrl"]?.string ?? ""))" \
            alt="Guild icon" loading="lazy"><div class="preamble__entries"><div class="preamble__entry">\(guild)</div>\
            <div class="preamble__entry">\(path)</div>
            """
        if let topic = header.channel["topic"]?.nonBlankString {
            html += "<div class=\"preamble__entry preamble__entry--small\">\(Self.escape(topic))</div>"
        }
        if header.after != nil || header.before != nil {
            let range = [
                header.after.map { "after " + TextParts.generalDate($0) },
                header.before.map { "before " + TextParts.generalDate($0) },
            ].compactMap { $0 }
            html +=
                "<div class=\"preamble__entry preamble__entry--small\">\(Self.escape(range.joined(separator: ", ")))</div>"
        }
        html += "</div></div><div class=\"chatlog\">"
        return Array(html.utf8)
    }

    mutating func message(_ message: JSONNode, index: Int) -> [UInt8] {
        let author = message["author"] ?? .object([])
        let authorId = author["id"]?.string ?? ""
        let typeName = message["type"]?.string ?? "Default"
        let type = DCENames.messageTypeNumber(typeName) ?? 0
        let isSystem = (1...18).contains(type)
        let time = message["timestamp"]?.string.flatMap(DCETime.parse)
        let startsGroup =
            !groupOpen || isSystem || groupAuthor != authorId || message["reference"] != nil
            || message["interaction"] != nil
            || (time.map { t in groupTime.map { t.seconds - $0.seconds > 420 } ?? true } ?? true)
        var html = ""
        if startsGroup {
            if groupOpen { html += "</div>" }
            html += "<div class=\"chatlog__message-group\">"
            groupOpen = true
            groupAuthor = isSystem ? nil : authorId
            groupTime = time
        }
        let id = Self.escape(message["id"]?.string ?? "")
        let name = Self.escape(author["nickname"]?.string ?? author["name"]?.string ?? "")
        let color = author["color"]?.string.map { " style=\"color:\(Self.escape($0))\"" } ?? ""
        let stamp = Self.escape(TextParts.generalDate(message["timestamp"]?.string))
        html +=
            "<div id=\"chatlog__message-container-\(id)\" class=\"chatlog__message-container\" data-message-id=\"\(id)\">"
        html += "<div class=\"chatlog__message\">"
        if startsGroup && !isSystem {
            html +=
                "<img class=\"chatlog__avatar\" src=\"\(Self.safeURL(author["avatarUrl"]?.string ?? ""))\" alt=\"Avatar\" loading=\"lazy\">"
        } else {
            html += "<div></div>"
        }
        html += "<div>"
        if let reference = message["reference"], let referenced = reference["messageId"]?.string {
            html +=
                "<div class=\"chatlog__reference\">↪ <a href=\"#chatlog__message-container-\(Self.escape(referenced))\">reply to a message</a></div>"
        }
        if startsGroup || isSystem {
            html +=
                "<span class=\"chatlog__author\" title=\"\(Self.escape(author["name"]?.string ?? ""))\"\(color)>\(name)</span>"
            html += "<span class=\"chatlog__timestamp\">\(stamp)</span>"
        }
        if message["isPinned"]?.bool == true { html += " <span class=\"chatlog__timestamp\">(pinned)</span>" }
        let content = Self.escape(message["content"]?.string ?? "")
        if !content.isEmpty {
            html += "<div class=\"chatlog__content\(isSystem ? " chatlog__system" : "")\">\(content)</div>"
        }
        if let edited = message["timestampEdited"]?.string {
            html += "<span class=\"chatlog__timestamp\" title=\"\(Self.escape(edited))\">(edited)</span>"
        }
        for attachment in message["attachments"]?.elements ?? [] {
            let url = Self.safeURL(attachment["url"]?.string ?? "")
            let file = Self.escape(attachment["fileName"]?.string ?? "")
            let lower = file.lowercased()
            if [".png", ".jpg", ".jpeg", ".gif", ".webp"].contains(where: lower.hasSuffix) {
                html +=
                    "<div class=\"chatlog__attachment\"><a href=\"\(url)\"><img src=\"\(url)\" alt=\"\(file)\" loading=\"lazy\"></a></div>"
            } else {
                html +=
                    "<div class=\"chatlog__attachment\"><a href=\"\(url)\">\(file)</a> (\(attachment["fileSizeBytes"]?.int ?? 0) bytes)</div>"
            }
        }
        for embed in message["embeds"]?.elements ?? [] {
            let border = embed["color"]?.string.map { " style=\"border-color:\(Self.escape($0))\"" } ?? ""
            html += "<div class=\"chatlog__embed\"\(border)>"
            if let author = embed["author"]?["name"]?.string { html += "<div>\(Self.escape(author))</div>" }
            if let title = embed["title"]?.nonBlankString {
                let inner =
                    embed["url"]?.string.map { "<a href=\"\(Self.safeURL($0))\">\(Self.escape(title))</a>" }
                    ?? Self.escape(title)
                html += "<div class=\"chatlog__embed-title\">\(inner)</div>"
            }
            if let description = embed["description"]?.nonBlankString {
                html += "<div class=\"chatlog__content\">\(Self.escape(description))</div>"
            }
            for field in embed["fields"]?.elements ?? [] {
                html +=
                    "<div><b>\(Self.escape(field["name"]?.string ?? ""))</b><br>\(Self.escape(field["value"]?.string ?? ""))</div>"
            }
            for image in (embed["images"]?.elements ?? []) + [embed["thumbnail"]].compactMap({ $0 }) {
                if let url = image["url"]?.string {
                    html +=
                        "<div class=\"chatlog__attachment\"><img src=\"\(Self.safeURL(url))\" alt=\"Image\" loading=\"lazy\"></div>"
                }
            }
            if let footer = embed["footer"]?["text"]?.string {
                html += "<div class=\"chatlog__timestamp\">\(Self.escape(footer))</div>"
            }
            html += "</div>"
        }
        for sticker in message["stickers"]?.elements ?? [] {
            html +=
                "<img class=\"chatlog__sticker\" src=\"\(Self.safeURL(sticker["sourceUrl"]?.string ?? ""))\" alt=\"\(Self.escape(sticker["name"]?.string ?? ""))\" title=\"\(Self.escape(sticker["name"]?.string ?? ""))\">"
        }
        let reactions = message["reactions"]?.elements ?? []
        if !reactions.isEmpty {
            html += "<div>"
            for reaction in reactions {
                let emoji = reaction["emoji"] ?? .object([])
                html +=
                    "<span class=\"chatlog__reaction\" title=\"\(Self.escape(emoji["code"]?.string ?? emoji["name"]?.string ?? ""))\">"
                html +=
                    "<img class=\"chatlog__emoji\" src=\"\(Self.safeURL(emoji["imageUrl"]?.string ?? ""))\" alt=\"\(Self.escape(emoji["name"]?.string ?? ""))\" loading=\"lazy\">"
                html += " \(reaction["count"]?.int ?? 0)</span>"
            }
            html += "</div>"
        }
        html += "</div></div></div>"
        return Array(html.utf8)
    }

    mutating func postamble(messageCount: Int) -> [UInt8] {
        var html = groupOpen ? "</div>" : ""
        let offset = timeZone.offset(at: DCETime(seconds: 0))
        let hours = offset / 3600
        html += "</div><div class=\"postamble\"><div>Exported \(messageCount) message(s)</div>"
        html += "<div>Timezone: UTC\(hours >= 0 ? "+" : "")\(hours)</div></div></body></html>"
        return Array(html.utf8)
    }
}
