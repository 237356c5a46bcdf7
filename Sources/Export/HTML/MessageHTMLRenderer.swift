import ArchiveStore
import DiscordModels
import Foundation

/// Renders archived messages to HTML exactly as `skald export --format html-dark` does (through the exporter's DCE
/// objects and ``MessageBodyHTML``), for pages that frame messages themselves, like the viewer of `skald serve`.
/// Member and name look-ups are remembered, so create one per page.
///
/// ```swift
/// let renderer = try await MessageHTMLRenderer(store: store, guildId: channel.guildId, mediaURLPrefix: "/media/")
/// let html = await renderer.body(of: message)
/// ```
public final class MessageHTMLRenderer {
    private let renderer: DCERenderer
    private let body: MessageBodyHTML

    /// A renderer for messages of one guild (`nil`: direct messages). Downloaded attachments link to
    /// `mediaURLPrefix` + their path in the media folder (`nil`: to Discord's URL); channel mentions link to
    /// `channelLinkPrefix` + the channel id.
    public init(
        store: any ArchiveStore, guildId: Snowflake<Guild>?, mediaURLPrefix: String?,
        channelLinkPrefix: String? = "/channels/"
    ) async throws {
        var options = DCEExportOptions()
        options.format = .htmlDark
        options.timeZone = .utc
        renderer = try await DCERenderer(store: store, options: options, guildId: guildId?.rawValue)
        body = MessageBodyHTML(timeZone: .utc, markdown: true, channelLinkPrefix: channelLinkPrefix)
        if let mediaURLPrefix {
            renderer.mediaPath = { messageId, channelId, attachmentId in
                guard
                    let attachments = try? await store.attachments(of: Snowflake(messageId), in: Snowflake(channelId)),
                    let local = attachments.first(where: { $0.id.rawValue == attachmentId })?.localPath,
                    !local.hasPrefix("/"),
                    let encoded = local.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)
                else { return nil }
                return mediaURLPrefix + encoded
            }
        }
    }

    /// Reads ahead, in a few queries, what rendering `messages` (the parsed Discord JSON of messages of channel
    /// `channelId`) would look up one at a time: members, mentioned and reacting users, reaction users. Rendering
    /// them afterwards gives the same HTML, faster.
    public func prepare(_ messages: [JSONValue], channelId: Snowflake<Channel>) async {
        await renderer.prefetch(messages, channelId: channelId.rawValue)
    }

    /// The HTML body of a message (text, attachments, embeds, stickers, reactions) from its archived Discord JSON.
    public func body(of json: Data) async -> String { await render(json).body }

    /// A message's author as the export shows it: display name (member nickname, global name, username), avatar
    /// URL and role color (`#rrggbb`, or `nil`).
    public func author(of json: Data) async -> (name: String, avatarURL: String, color: String?) {
        await render(json).author
    }

    /// A message's author (see ``author(of:)``) and body (see ``body(of:)``) from one reading of its JSON.
    public func render(_ json: Data) async -> (author: (name: String, avatarURL: String, color: String?), body: String)
    {
        guard let raw = try? JSONValue.parse(json) else {
            return (("unknown", "https://cdn.discordapp.com/embed/avatars/0.png", nil), "")
        }
        return await render(raw)
    }

    /// A message's author and body as the `Data` overload renders them, from the message's JSON already parsed.
    public func render(_ raw: JSONValue) async -> (
        author: (name: String, avatarURL: String, color: String?), body: String
    ) {
        let node = await renderer.messageNode(raw)
        let author = node["author"] ?? .object([])
        let type = raw["type"]?.int ?? 0
        return (
            (
                author["nickname"]?.string ?? author["name"]?.string ?? "unknown",
                author["avatarUrl"]?.string ?? "https://cdn.discordapp.com/embed/avatars/0.png",
                MessageBodyHTML.color(author["color"]?.string)
            ),
            body.render(node, isSystem: (1...18).contains(type))
        )
    }

    /// A text of a message (an earlier version of its content) as markdown, with the names it mentions looked up;
    /// `inline`: inline markdown only (a one-line preview).
    public func text(_ content: String, of json: Data, inline: Bool = false) async -> String {
        await text(content, of: (try? JSONValue.parse(json)) ?? .object([]), inline: inline)
    }

    /// A text of a message as the `Data` overload renders it, from the message's JSON already parsed.
    public func text(_ content: String, of raw: JSONValue, inline: Bool = false) async -> String {
        let names = MarkdownNames(node: await renderer.namesNode(for: [content], message: raw), timeZone: .utc)
        let markdown = DiscordMarkdownHTML(names: names, channelLinkPrefix: nil)
        return inline ? markdown.renderInline(content) : markdown.render(content)
    }
}
