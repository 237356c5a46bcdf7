import Foundation

/// Turns an archived message into the text the target receives (pure): the content with channel and role
/// mentions rewritten to the target's ids, a placeholder for what has no text, the original time as a `-#`
/// subtext line, split into parts of at most `limit` characters.
public struct MirrorMessageFormatter: Sendable {
    /// The target's content limit.
    public var limit: Int
    /// Source channel id → target channel id.
    public var channels: [UInt64: UInt64]
    /// Source role id → target role id.
    public var roles: [UInt64: UInt64]
    /// Source custom emoji id → `name:id` of its copy on the target.
    public var emojis: [UInt64: String]

    /// Makes a formatter.
    public init(
        limit: Int = 2000, channels: [UInt64: UInt64] = [:], roles: [UInt64: UInt64] = [:],
        emojis: [UInt64: String] = [:]
    ) {
        self.limit = limit
        self.channels = channels
        self.roles = roles
        self.emojis = emojis
    }

    /// The parts to send for one message, in order (never empty, each within `limit`).
    /// - Parameter nativeReply: the reply is sent as a `message_reference` the target keeps (Fluxer [N] webhooks):
    ///   no quote line; otherwise a reply is quoted (fluxer-api.md §6: [B] webhooks ignore the reference).
    public func parts(of message: MirrorSourceMessage, nativeReply: Bool = false) -> [String] {
        var body = rewriteMentions(message.content)
        var extras: [String] = []
        if let reply = message.replyToAuthor, !nativeReply {
            let excerpt = message.replyExcerpt.map { ": " + rewriteMentions($0) } ?? ""
            extras.append("> ↪ **\(reply)**\(excerpt)")
        }
        extras += message.attachmentNames.map { "📎 \($0)" }
        extras += message.stickerNames.map { "[sticker: \($0)]" }
        if body.isEmpty && extras.isEmpty && message.uploadCount == 0 && message.sentStickerCount == 0 {
            body = "[\(message.typeName)]"
        }
        let quote = extras.first { $0.hasPrefix("> ↪") }
        let rest = extras.filter { !$0.hasPrefix("> ↪") }
        let text =
            ([quote].compactMap { $0 } + [body].filter { !$0.isEmpty } + rest + [
                "-# \(Self.timeLine(message.timestamp))"
            ]).joined(separator: "\n")
        return Self.split(text, limit: limit)
    }

    /// `2024-01-31 12:00 UTC`.
    public static func timeLine(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }

    /// Splits `text` into parts of at most `limit` characters, at a newline or space when one is near the end.
    public static func split(_ text: String, limit: Int) -> [String] {
        var parts: [String] = []
        var rest = Substring(text)
        while rest.count > limit {
            let window = rest.prefix(limit)
            var cut = window.endIndex
            if let newline = window.lastIndex(of: "\n"),
                window.distance(from: window.startIndex, to: newline) > limit / 2
            {
                cut = newline
            } else if let space = window.lastIndex(of: " "),
                window.distance(from: window.startIndex, to: space) > limit / 2
            {
                cut = space
            }
            parts.append(String(rest[rest.startIndex..<cut]))
            rest = rest[cut...]
            if rest.first == "\n" || rest.first == " " { rest = rest.dropFirst() }
        }
        if !rest.isEmpty || parts.isEmpty { parts.append(String(rest)) }
        return parts
    }

    /// `<:name:id>` and `<a:name:id>` of uploaded emojis rewritten to their copies (same markup on Fluxer,
    /// fluxer-api.md §6); others left as they are.
    func rewriteEmojis(_ text: String) -> String {
        guard !emojis.isEmpty, text.contains("<:") || text.contains("<a:") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            out += rest[..<open]
            let tail = rest[open...]
            let animated = tail.hasPrefix("<a:")
            guard animated || tail.hasPrefix("<:"), let close = tail.firstIndex(of: ">") else {
                out.append("<")
                rest = rest[rest.index(after: open)...]
                continue
            }
            let inner = tail[tail.index(open, offsetBy: animated ? 3 : 2)..<close]
            let fields = inner.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count == 2, let id = UInt64(fields[1]), let copy = emojis[id] {
                out += (animated ? "<a:" : "<:") + copy + ">"
            } else {
                out += tail[...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// `<#id>` and `<@&id>` of mapped objects rewritten to the target's ids, and uploaded emojis to their copies.
    func rewriteMentions(_ text: String) -> String {
        let text = rewriteEmojis(text)
        guard text.contains("<#") || text.contains("<@&") else { return text }
        var out = text
        for (source, target) in channels where out.contains("<#\(source)>") {
            out = out.replacingOccurrences(of: "<#\(source)>", with: "<#\(target)>")
        }
        for (source, target) in roles where out.contains("<@&\(source)>") {
            out = out.replacingOccurrences(of: "<@&\(source)>", with: "<@&\(target)>")
        }
        return out
    }
}
