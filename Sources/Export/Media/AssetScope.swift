/// Which of a DCE object's assets a format shows, and so downloads with `--media`: DCE resolves an asset where its
/// writer prints it (`ExportContext.ResolveAssetUrlAsync`'s callers at 2.47), so a CSV downloads attachments only.
enum AssetScope {
    /// JSON: every asset member (§14.1): avatars, icons, emoji, stickers, attachments and embed media.
    case json
    /// HTML: what a page shows: all but the avatars of mentioned users and of reaction users (DCE's page draws
    /// neither).
    case html
    /// Plain text: attachments, embed thumbnails and images, stickers (`PlainTextMessageWriter`).
    case text
    /// CSV: attachments (`CsvMessageWriter`).
    case csv

    init(_ format: ExportFormat) {
        switch format {
        case .json: self = .json
        case .htmlDark, .htmlLight: self = .html
        case .txt: self = .text
        case .csv: self = .csv
        }
    }

    /// Whether the asset member at `path` (the keys from the message object down to the member, arrays skipped:
    /// `["embeds", "thumbnail", "url"]`) is shown.
    func includes(_ path: [String]) -> Bool {
        switch self {
        case .json: return true
        case .html: return !path.contains("mentions") && !path.contains("users")
        case .text:
            guard path.count >= 2 else { return false }
            let last = Array(path.suffix(2))
            return [["attachments", "url"], ["thumbnail", "url"], ["images", "url"], ["image", "url"]].contains(last)
                || (last == ["stickers", "sourceUrl"])
        case .csv: return path == ["attachments", "url"]
        }
    }
}
