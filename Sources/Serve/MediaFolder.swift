import ArchiveStore
import FileSafety
import Foundation

/// The archive's media folder (`skald archive --media`), served under `/media/`: a path is resolved inside the
/// folder only — no `..`, no absolute path, no link leading out of it, only regular files.
public struct MediaFolder: Sendable {
    /// The folder, with its links resolved.
    public let root: URL

    /// A media folder at `path` (it may not exist yet: then nothing is served).
    public init(path: String) {
        root = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
    }

    /// Whether the folder exists (without it no attachment was downloaded there, and pages link Discord's URLs
    /// without asking the archive where each attachment was saved).
    public var exists: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The file `relative` names inside the folder, or `nil` when it would leave the folder, is not a regular file
    /// or does not exist.
    public func file(_ relative: String) -> URL? {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !relative.isEmpty, !relative.hasPrefix("/"), !relative.contains("\0"),
            parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." })
        else { return nil }
        let candidate = root.appendingPathComponent(relative).standardizedFileURL.resolvingSymlinksInPath()
        guard candidate.path.hasPrefix(root.path + "/") else { return nil }
        // A regular file only (the link resolved above): a pipe, opened, would hold the answer until a writer comes.
        guard FileDestination.kind(at: candidate.path) == .regularFile else { return nil }
        return candidate
    }

    /// How long a browser may keep a file: one named by its content (``MediaPath``, what `archive --media` and
    /// `import --media` write) never changes, so for a year without asking again; anything else is asked again each
    /// time. Private either way: a server behind `--auth-token` must not be cached by a shared proxy.
    static func cacheControl(of relative: String) -> String {
        MediaPath.isContentAddressed(relative) ? "private, max-age=31536000, immutable" : "private, no-cache"
    }

    /// The content type served for a file name (images, video and audio by extension; anything else as bytes).
    static func contentType(of name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "mp4": "video/mp4"
        case "webm": "video/webm"
        case "mp3": "audio/mpeg"
        case "ogg": "audio/ogg"
        case "wav": "audio/wav"
        case "txt", "log": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
