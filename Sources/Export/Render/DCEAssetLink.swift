import Foundation

/// How DiscordChatExporter links a downloaded asset from the file it writes (`ExportContext.ResolveAssetUrlAsync`,
/// 2.41+; dce-json.md §14.1), for Skald's downloaded attachments and imported `--media` files alike: the path
/// relative to the output file's folder, or the absolute path when the relative one would start with `../` (a media
/// folder outside the export's folder). HTML writes either percent-encoded, an absolute one as a `file://` URL
/// (DCE's `Url.EncodeFilePath`); JSON, CSV and plain text write it as it is.
struct DCEAssetLink {
    /// The folder of the file being written, absolute; nil when files sit at several depths (every link absolute).
    let outputDirectory: String?
    /// Whether the link goes into HTML (percent-encoded).
    let encodedForHTML: Bool

    init(outputDirectory: String?, encodedForHTML: Bool) {
        self.outputDirectory = outputDirectory.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        self.encodedForHTML = encodedForHTML
    }

    /// The link to the file at `path` (relative paths are taken from the working directory, as DCE takes its
    /// `--media-dir`).
    func link(toFile path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var link = absolute
        if let outputDirectory {
            let relative = OutputPath.relative(absolute, from: outputDirectory)
            if !relative.hasPrefix("../") { link = relative }
        }
        return encodedForHTML ? Self.encodedFilePath(link) : link
    }

    /// DCE's `Url.EncodeFilePath`: each segment between `/`, `\\` and `:` percent-encoded (a `\\` written as `/`) as .NET's
    /// `Uri.EscapeDataString` does (all but ASCII letters, digits and `-._~`, as UTF-8), and `file://` before an
    /// absolute path.
    static func encodedFilePath(_ path: String) -> String {
        // DCE turns every backslash into a slash, on Linux too.
        let slashed = path.replacingOccurrences(of: "\\", with: "/")
        let encoded = slashed.addingPercentEncoding(withAllowedCharacters: unreservedOrSeparator) ?? slashed
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }

    /// RFC 3986's unreserved characters (what `Uri.EscapeDataString` keeps) and DCE's separators.
    private static let unreservedOrSeparator = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/:")
}
