import DiscordModels

/// DCE's plain text (§16), as 2.47's `PlainTextMessageWriter` writes it from the same message objects as the JSON: a
/// header block, one block per message, a footer with the count (en-US `N0`: `1,234`). Every line ends with
/// `newline` (DCE writes the system's: CRLF on Windows).
struct PlainTextDocumentFormat: DocumentFormat {
    let timeZone: DCETimeZone
    let newline: String
    private let rule = String(repeating: "=", count: 62)

    init(timeZone: DCETimeZone, newline: String = "\n") {
        self.timeZone = timeZone
        self.newline = newline
    }

    mutating func preamble(_ header: DocumentHeader) -> [UInt8] {
        var lines = [rule, "Guild: \(header.guild["name"]?.string ?? "")", "Channel: \(header.hierarchicalName)"]
        if let topic = header.channel["topic"]?.nonBlankString { lines.append("Topic: \(topic)") }
        if let after = header.after { lines.append("After: \(TextParts.generalDate(after))") }
        if let before = header.before { lines.append("Before: \(TextParts.generalDate(before))") }
        lines += [rule, ""]
        return Array(lines.map { $0 + newline }.joined().utf8)
    }

    mutating func message(_ message: JSONValue, index: Int) -> [UInt8] {
        var text = "[\(TextParts.generalDate(message["timestamp"]?.string))] \(TextParts.authorTag(message["author"]))"
        if message["isPinned"]?.bool == true { text += " (pinned)" }
        text += newline
        // The content line is written even when empty (DCE's `WriteLineAsync(content)`), then a blank line.
        text += (message["content"]?.string ?? "") + newline + newline
        if let forwarded = message["forwardedMessage"], case .object = forwarded {
            text += "{Forwarded Message}" + newline
            if let content = forwarded["content"]?.nonBlankString { text += content + newline }
            text += "Originally sent: \(TextParts.generalDate(forwarded["timestamp"]?.string))" + newline
            appendAttachments(forwarded, to: &text)
            appendEmbeds(forwarded, to: &text)
            appendStickers(forwarded, to: &text)
            text += newline
        }
        appendAttachments(message, to: &text)
        appendEmbeds(message, to: &text)
        appendStickers(message, to: &text)
        let reactions = message["reactions"]?.elements ?? []
        if !reactions.isEmpty {
            // A count is written only above one (`👍 😀 (2)`).
            let names = reactions.map { reaction in
                let name = reaction["emoji"]?["name"]?.string ?? ""
                let count = reaction["count"]?.int ?? 0
                return count > 1 ? "\(name) (\(count))" : name
            }
            text += "{Reactions}" + newline + names.joined(separator: " ") + newline
        }
        return Array((text + newline).utf8)
    }

    private func appendAttachments(_ message: JSONValue, to text: inout String) {
        let attachments = message["attachments"]?.elements ?? []
        guard !attachments.isEmpty else { return }
        text += "{Attachments}" + newline + attachments.map { ($0["url"]?.string ?? "") + newline }.joined() + newline
    }

    /// Each embed as DCE lists it: author name, URL, title, description, each field's non-blank name and value,
    /// the thumbnail, the images and the footer, each on its line when not blank, then a blank line.
    private func appendEmbeds(_ message: JSONValue, to text: inout String) {
        for embed in message["embeds"]?.elements ?? [] {
            var lines = [embed["author"]?["name"], embed["url"], embed["title"], embed["description"]]
            for field in embed["fields"]?.elements ?? [] { lines += [field["name"], field["value"]] }
            lines.append(embed["thumbnail"]?["url"])
            // 2.35+ lists every image in `images`; an older export has only `image`.
            lines += embed["images"]?.elements.map { $0["url"] } ?? [embed["image"]?["url"]]
            lines.append(embed["footer"]?["text"])
            text += "{Embed}" + newline
            for line in lines { if let value = line?.nonBlankString { text += value + newline } }
            text += newline
        }
    }

    private func appendStickers(_ message: JSONValue, to text: inout String) {
        let stickers = message["stickers"]?.elements ?? []
        guard !stickers.isEmpty else { return }
        text += "{Stickers}" + newline + stickers.map { ($0["sourceUrl"]?.string ?? "") + newline }.joined() + newline
    }

    mutating func postamble(messageCount: Int) -> [UInt8] {
        let count = DotNetDateFormat.n0(Double(messageCount))
        return Array([rule, "Exported \(count) message(s)", rule].map { $0 + newline }.joined().utf8)
    }
}
