import DiscordModels
import Foundation

/// Finds the clips of a message: one pure function over the message, with a table of rules.
///
/// - Attachments that are video: content type `video/*`, or by extension (.gifv .mp4 .webm .mov, as
///   DiscordChatExporter decides).
/// - Embeds of type `video` or `gifv`, or with a `video` field.
/// - Links in the text matching ``LinkRule/table`` (YouTube, Twitch, Medal, Streamable, Steam, direct video files).
///
/// A URL is reported once per message: a link and the embed Discord made for it are one clip (the link).
///
/// ```swift
/// let clips = ClipDetector.detect(in: message)     // [DetectedClip]
/// ```
public enum ClipDetector {
    /// The attachment extensions that make a file a video without a content type.
    public static let attachmentExtensions: Set<String> = ["gifv", "mp4", "webm", "mov"]

    /// The clips of `message`, attachments first, then links in the order written, then embeds.
    public static func detect(in message: Message) -> [DetectedClip] {
        var clips: [DetectedClip] = []
        var seen: Set<String> = []
        func add(_ clip: DetectedClip) {
            if seen.insert(normalized(clip.url)).inserted { clips.append(clip) }
        }
        for attachment in message.attachments where isVideo(attachment) {
            add(
                DetectedClip(
                    kind: .attachment, provider: "discord", url: attachment.url, attachmentId: attachment.id.rawValue,
                    filename: attachment.filename, size: attachment.size))
        }
        for link in links(in: message.content) {
            if let provider = provider(of: link) { add(DetectedClip(kind: .link, provider: provider, url: link)) }
        }
        for embed in message.embeds {
            guard let clip = clip(of: embed) else { continue }
            add(clip)
        }
        return clips
    }

    /// The clips of a message given as JSON (as archived); none when it does not decode.
    public static func detect(json: Data) -> [DetectedClip] {
        guard let message = try? JSONDecoder().decode(Message.self, from: json) else { return [] }
        return detect(in: message)
    }

    /// Whether an attachment is a video: `video/*`, or a video extension when the type says nothing more.
    public static func isVideo(_ attachment: Attachment) -> Bool {
        if let type = attachment.contentType?.lowercased(), type.hasPrefix("video/") { return true }
        guard let dot = attachment.filename.lastIndex(of: ".") else { return false }
        return attachmentExtensions.contains(attachment.filename[attachment.filename.index(after: dot)...].lowercased())
    }

    /// The clip an embed is, if it is one.
    static func clip(of embed: Embed) -> DetectedClip? {
        let type = embed.type?.lowercased()
        guard type == "video" || type == "gifv" || embed.video != nil else { return nil }
        guard let url = embed.url ?? embed.video?.url else { return nil }
        let named = embed.provider?.name?.lowercased().filter { $0.isLetter || $0.isNumber }
        let provider = (named?.isEmpty == false ? named : nil) ?? self.provider(of: url) ?? host(of: url) ?? "embed"
        return DetectedClip(kind: .embed, provider: provider, url: url)
    }

    /// The provider of a link per ``LinkRule/table``, or nil when it is no clip.
    public static func provider(of link: String) -> String? {
        guard let components = URLComponents(string: link), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", var host = components.host?.lowercased()
        else { return nil }
        for prefix in ["www.", "m."] where host.hasPrefix(prefix) { host.removeFirst(prefix.count) }
        let path = components.path.split(separator: "/").map(String.init)
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] where query[item.name] == nil { query[item.name] = item.value ?? "" }
        return LinkRule.table.first { $0.matches(host, path, query) }?.provider
    }

    /// The http(s) links of a text, as written, without the angle brackets that suppress an embed or trailing
    /// punctuation.
    public static func links(in text: String) -> [String] {
        var result: [String] = []
        for word in text.split(whereSeparator: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" }) {
            guard let start = word.range(of: "http://") ?? word.range(of: "https://") else { continue }
            var link = word[start.lowerBound...]
            while let last = link.last, ".,;:!?)]}*_~|'".contains(last) {
                // A closing parenthesis belongs to the link when it opened one (Wikipedia-style paths).
                if last == ")" && link.filter({ $0 == "(" }).count >= link.filter({ $0 == ")" }).count { break }
                link.removeLast()
            }
            if link.count > 8 { result.append(String(link)) }
        }
        return result
    }

    private static func host(of url: String) -> String? {
        URLComponents(string: url)?.host?.lowercased()
    }

    private static func normalized(_ url: String) -> String {
        var text = url.lowercased()
        if text.hasPrefix("http://") { text = "https://" + text.dropFirst(7) }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
