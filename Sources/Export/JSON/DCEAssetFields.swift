import DiscordModels
import Foundation

/// The members of DCE objects that hold a resolved asset (§14.1 of the spec): with `--media`, DCE writes there the
/// downloaded file's path instead of its URL. They are `avatarUrl`, `iconUrl`, `sourceUrl` and `imageUrl`
/// wherever they are, and `url` only in attachments and in an embed's `thumbnail`, `image`, `video` and `images`
/// (an embed's own `url` and its author's are links DCE never resolves; `canonicalUrl`s stay remote).
/// The import resolves these paths and the export writes them relative to its file, through the one walk here.
enum DCEAssetFields {
    /// Keys whose string value is always a resolved asset.
    private static let assetKeys: Set<String> = ["avatarUrl", "iconUrl", "sourceUrl", "imageUrl"]
    /// Keys under which `url` is a resolved asset.
    private static let assetURLParents: Set<String> = ["attachments", "thumbnail", "image", "video", "images"]

    /// Whether compact DCE JSON may hold a local path in an asset member: a member whose key ends in `rl` holds a
    /// string that does not start with `h` (every URL DCE writes starts with `http`). A byte search, so the messages
    /// of exports made without `--media` keep their fast paths.
    static func mayHoldLocalPath(_ bytes: UnsafeRawBufferPointer) -> Bool {
        // `rl":"` then the value's first byte; in compact JSON nothing else can be these bytes (a `"` inside a
        // string is escaped).
        let count = bytes.count
        var i = 4
        while i + 1 < count {
            if bytes[i] == UInt8(ascii: "\""), bytes[i - 1] == UInt8(ascii: ":"), bytes[i - 2] == UInt8(ascii: "\""),
                bytes[i - 3] == UInt8(ascii: "l"), bytes[i - 4] == UInt8(ascii: "r"), bytes[i + 1] != UInt8(ascii: "h")
            {
                return true
            }
            i += 1
        }
        return false
    }

    /// Whether `bytes` (compact DCE JSON) may hold a local asset path; see ``mayHoldLocalPath(_:)-(UnsafeRawBufferPointer)``.
    static func mayHoldLocalPath(_ bytes: Data) -> Bool {
        bytes.withUnsafeBytes { mayHoldLocalPath($0) }
    }

    /// Whether an asset member's text is a local path (DCE wrote a downloaded file's path), not a URL.
    static func isLocalPath(_ text: String) -> Bool { !text.isEmpty && !text.contains("://") }

    /// `value` with each local path in an asset member replaced by `transform`'s answer (kept when it answers nil).
    static func rewritingLocalPaths(_ value: JSONValue, _ transform: (String) -> String?) -> JSONValue {
        rewritingAssets(value) { _, text in isLocalPath(text) ? transform(text) : nil }
    }

    /// `value` with each asset member's text replaced by `transform`'s answer (kept when it answers nil);
    /// `transform` is given the member's path (the keys from `value` down to it, arrays skipped:
    /// `["embeds", "thumbnail", "url"]`) and its text.
    static func rewritingAssets(_ value: JSONValue, _ transform: ([String], String) -> String?) -> JSONValue {
        var path: [String] = []
        return rewrite(value, urlIsAsset: false, path: &path, transform)
    }

    private static func rewrite(
        _ value: JSONValue, urlIsAsset: Bool, path: inout [String], _ transform: ([String], String) -> String?
    ) -> JSONValue {
        switch value {
        case .object(var members):
            for index in members.indices {
                let key = members[index].key
                path.append(key)
                defer { path.removeLast() }
                if case .string(let text) = members[index].value {
                    if assetKeys.contains(key) || (urlIsAsset && key == "url"), let replaced = transform(path, text) {
                        members[index].value = .string(replaced)
                    }
                } else {
                    members[index].value = rewrite(
                        members[index].value, urlIsAsset: assetURLParents.contains(key), path: &path, transform)
                }
            }
            return .object(members)
        case .array(let elements):
            return .array(elements.map { rewrite($0, urlIsAsset: urlIsAsset, path: &path, transform) })
        default:
            return value
        }
    }
}
