import DiscordModels
import Foundation

/// What `export --media` does to one channel's DCE objects, as DCE's `ExportContext.ResolveAssetUrlAsync` does: each
/// remote asset the format shows (``AssetScope``) is downloaded into the media folder and its URL replaced by the
/// link to the file (``DCEAssetLink``: relative inside the output folder, else absolute; encoded in HTML); one that
/// could not be downloaded keeps its URL. Attachments `skald archive --media` downloaded are linked before this
/// (already local), as are the files of an imported `--media` export.
struct ExportAssets {
    let downloader: ExportAssetDownloader
    let assetLink: DCEAssetLink
    let scope: AssetScope
    /// Whether only Discord's CDN hosts are asked (`--discord-media-only`).
    var discordOnly = false

    /// Assets downloaded at once for one object.
    private static let width = 4

    /// `node` (a message, or the `guild`/`channel` header object under `root`) with its shown remote assets linked.
    func linking(_ node: JSONValue, under root: [String] = []) async -> JSONValue {
        var wanted: [String] = []
        _ = DCEAssetFields.rewritingAssets(node) { path, text in
            if Self.isRemote(text), !discordOnly || Self.isOnDiscordCDN(text), scope.includes(root + path),
                !wanted.contains(text)
            {
                wanted.append(text)
            }
            return nil
        }
        guard !wanted.isEmpty else { return node }
        let downloader = self.downloader
        var files: [String: String] = [:]
        await withTaskGroup(of: (String, String?).self) { group in
            var next = 0
            func start() {
                let url = wanted[next]
                next += 1
                group.addTask { (url, await downloader.download(url)) }
            }
            while next < min(Self.width, wanted.count) { start() }
            while let (url, file) = await group.next() {
                if let file { files[url] = assetLink.link(toFile: file) }
                if next < wanted.count { start() }
            }
        }
        guard !files.isEmpty else { return node }
        var linked = DCEAssetFields.rewritingAssets(node) { path, text in
            scope.includes(root + path) ? files[text] : nil
        }
        if scope == .html { linked = Self.withEmojiLinks(linked) }
        return linked
    }

    /// An HTML message's `skaldNames` with an `emojis` table (custom emoji id → its image's link), from the
    /// message's and its embeds' `inlineEmojis`: the page draws custom emoji in text from their id.
    private static func withEmojiLinks(_ message: JSONValue) -> JSONValue {
        guard case .object(var members) = message,
            let namesIndex = members.firstIndex(where: { $0.key == "skaldNames" }),
            case .object(var names) = members[namesIndex].value
        else { return message }
        let lists = [message["inlineEmojis"]] + (message["embeds"]?.elements ?? []).map { $0["inlineEmojis"] }
        var emojis: [JSONValue.Member] = []
        for emoji in lists.compactMap({ $0?.elements }).joined() {
            guard let id = emoji["id"]?.nonBlankString, let image = emoji["imageUrl"]?.string, !isRemote(image),
                !emojis.contains(where: { $0.key == id })
            else { continue }
            emojis.append(.init(id, .string(image)))
        }
        guard !emojis.isEmpty else { return message }
        names.append(.init("emojis", .object(emojis)))
        members[namesIndex].value = .object(names)
        return .object(members)
    }

    /// Whether `url` is on one of Discord's CDN hosts.
    static func isOnDiscordCDN(_ url: String) -> Bool {
        url.hasPrefix("https://cdn.discordapp.com/") || url.hasPrefix("https://media.discordapp.net/")
    }

    /// Whether `text` is a web address to download (a local path, or a `file://` link, is not).
    static func isRemote(_ text: String) -> Bool {
        text.hasPrefix("https://") || text.hasPrefix("http://")
    }
}
