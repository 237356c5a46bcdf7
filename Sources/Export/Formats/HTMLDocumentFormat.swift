import DiscordModels

/// A self-contained HTML page per channel (or partition) that looks like a Discord channel, dark or light.
/// Messages are rendered by ``MessageBodyHTML``, as the viewer renders them. Every piece of text, name and URL is
/// escaped; no script is included.
struct HTMLDocumentFormat: DocumentFormat {
    let dark: Bool
    let timeZone: DCETimeZone
    let body: MessageBodyHTML
    private var groupAuthor: String?
    private var groupTime: DCETime?
    private var groupOpen = false

    init(dark: Bool, timeZone: DCETimeZone, markdown: Bool) {
        self.dark = dark
        self.timeZone = timeZone
        self.body = MessageBodyHTML(timeZone: timeZone, markdown: markdown, channelLinkPrefix: nil)
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
            font-weight:600}.chatlog__reference{color:\(muted);font-size:.875rem}.postamble{padding:1.25rem;\
            color:\(muted)}.chatlog__message-container:target{background:\(embed)}
            """ + MessageHTMLStyle.css(dark: dark)
    }

    mutating func preamble(_ header: DocumentHeader) -> [UInt8] {
        let guild = HTMLEscape.text(header.guild["name"]?.string ?? "")
        let channel = HTMLEscape.text(header.channel["name"]?.string ?? "")
        let path = HTMLEscape.text(header.hierarchicalName)
        var html = """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" \
            content="width=device-width"><title>\(guild) - \(channel)</title><style>\(css)</style></head><body>\
            <div class="preamble"><img class="preamble__guild-icon" src="\(HTMLEscape.url(header.guild["iconUrl"]?.string ?? ""))" \
            alt="Guild icon" loading="lazy"><div class="preamble__entries"><div class="preamble__entry">\(guild)</div>\
            <div class="preamble__entry">\(path)</div>
            """
        if let topic = header.channel["topic"]?.nonBlankString {
            html += "<div class=\"preamble__entry preamble__entry--small\">\(HTMLEscape.text(topic))</div>"
        }
        if header.after != nil || header.before != nil {
            let range = [
                header.after.map { "after " + TextParts.generalDate($0) },
                header.before.map { "before " + TextParts.generalDate($0) },
            ].compactMap { $0 }
            html +=
                "<div class=\"preamble__entry preamble__entry--small\">\(HTMLEscape.text(range.joined(separator: ", ")))</div>"
        }
        html += "</div></div><div class=\"chatlog\">"
        return Array(html.utf8)
    }

    mutating func message(_ message: JSONValue, index: Int) -> [UInt8] {
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
        let id = HTMLEscape.text(message["id"]?.string ?? "")
        let name = HTMLEscape.text(author["nickname"]?.string ?? author["name"]?.string ?? "")
        let color = MessageBodyHTML.color(author["color"]?.string).map { " style=\"color:\($0)\"" } ?? ""
        let stamp = HTMLEscape.text(TextParts.generalDate(message["timestamp"]?.string))
        html +=
            "<div id=\"chatlog__message-container-\(id)\" class=\"chatlog__message-container\" data-message-id=\"\(id)\">"
        html += "<div class=\"chatlog__message\">"
        if startsGroup && !isSystem {
            html +=
                "<img class=\"chatlog__avatar\" src=\"\(HTMLEscape.url(author["avatarUrl"]?.string ?? ""))\" alt=\"Avatar\" loading=\"lazy\">"
        } else {
            html += "<div></div>"
        }
        html += "<div>"
        if let reference = message["reference"], let referenced = reference["messageId"]?.string {
            html +=
                "<div class=\"chatlog__reference\">↪ <a href=\"#chatlog__message-container-\(HTMLEscape.text(referenced))\">reply to a message</a></div>"
        }
        if startsGroup || isSystem {
            html +=
                "<span class=\"chatlog__author\" title=\"\(HTMLEscape.text(author["name"]?.string ?? ""))\"\(color)>\(name)</span>"
            html += "<span class=\"chatlog__timestamp\">\(stamp)</span>"
        }
        if message["isPinned"]?.bool == true { html += " <span class=\"chatlog__timestamp\">(pinned)</span>" }
        html += body.render(message, isSystem: isSystem)
        if let edited = message["timestampEdited"]?.string {
            html += "<span class=\"chatlog__timestamp\" title=\"\(HTMLEscape.text(edited))\">(edited)</span>"
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
