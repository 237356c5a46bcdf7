import DiscordModels

/// DCE's plain text (§16): a header block, one block per message, a footer with the count.
struct PlainTextDocumentFormat: DocumentFormat {
    let timeZone: DCETimeZone
    private let rule = String(repeating: "=", count: 62)

    mutating func preamble(_ header: DocumentHeader) -> [UInt8] {
        var lines = [rule, "Guild: \(header.guild["name"]?.string ?? "")"]
        let channel = header.channel["name"]?.string ?? ""
        lines.append("Channel: " + (header.parentName.map { "\($0) / \(channel)" } ?? channel))
        if let topic = header.channel["topic"]?.nonBlankString { lines.append("Topic: \(topic)") }
        if let after = header.after { lines.append("After: \(TextParts.generalDate(after))") }
        if let before = header.before { lines.append("Before: \(TextParts.generalDate(before))") }
        lines += [rule, "", ""]
        return Array(lines.joined(separator: "\n").utf8)
    }

    mutating func message(_ message: JSONValue, index: Int) -> [UInt8] {
        var text = "[\(TextParts.generalDate(message["timestamp"]?.string))] \(TextParts.authorTag(message["author"]))"
        if message["isPinned"]?.bool == true { text += " (pinned)" }
        text += "\n"
        let content = message["content"]?.string ?? ""
        if !content.isEmpty { text += content + "\n" }
        text += "\n"
        if let forwarded = message["forwardedMessage"], case .object = forwarded {
            text += "{Forwarded Message}\n\(forwarded["content"]?.string ?? "")\n\n"
        }
        let attachments = message["attachments"]?.elements ?? []
        if !attachments.isEmpty {
            text += "{Attachments}\n" + attachments.map { ($0["url"]?.string ?? "") + "\n" }.joined() + "\n"
        }
        for embed in message["embeds"]?.elements ?? [] {
            text += "{Embed}\n"
            for key in ["title", "url", "description"] {
                if let value = embed[key]?.nonBlankString { text += value + "\n" }
            }
            for field in embed["fields"]?.elements ?? [] {
                text += (field["name"]?.string ?? "") + "\n" + (field["value"]?.string ?? "") + "\n"
            }
            text += "\n"
        }
        let stickers = message["stickers"]?.elements ?? []
        if !stickers.isEmpty {
            text += "{Stickers}\n" + stickers.map { ($0["sourceUrl"]?.string ?? "") + "\n" }.joined() + "\n"
        }
        let reactions = message["reactions"]?.elements ?? []
        if !reactions.isEmpty {
            text +=
                "{Reactions}\n"
                + reactions.map { "\($0["emoji"]?["name"]?.string ?? "") (\($0["count"]?.int ?? 0))" }
                .joined(separator: " ") + "\n\n"
        }
        return Array((text + "\n").utf8)
    }

    mutating func postamble(messageCount: Int) -> [UInt8] {
        Array("\(rule)\nExported \(messageCount) message(s)\n\(rule)\n".utf8)
    }
}
