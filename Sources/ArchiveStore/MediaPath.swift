/// Where a file lives inside the archive's media folder: `ab/<sha256>.<ext>`, named by its content. Only the
/// extension of the original file name is kept, and only if it is short and alphanumeric, so no name from Discord
/// (or from an imported export) can escape the folder. Written by `skald archive --media` and `skald import --media`.
public enum MediaPath {
    /// The path inside the media folder of a file with this SHA-256 (lowercase hex) and original name.
    public static func relativePath(sha256: String, filename: String) -> String {
        let prefix = String(sha256.prefix(2))
        guard let dot = filename.lastIndex(of: ".") else { return "\(prefix)/\(sha256)" }
        let ext = filename[filename.index(after: dot)...].lowercased()
        let safe = !ext.isEmpty && ext.count <= 10 && ext.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        return safe ? "\(prefix)/\(sha256).\(ext)" : "\(prefix)/\(sha256)"
    }

    /// Whether `path` has the shape ``relativePath(sha256:filename:)`` gives (`ab/<64 hex>[.ext]`, `ab` the hash's
    /// first two characters): a path inside the media folder, not one relative to anything else.
    public static func isContentAddressed(_ path: String) -> Bool {
        let bytes = Array(path.utf8)
        guard bytes.count >= 67, bytes[2] == UInt8(ascii: "/"), bytes[0] == bytes[3], bytes[1] == bytes[4] else {
            return false
        }
        func isHex(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || (b >= 97 && b <= 102) }
        guard bytes[3..<67].allSatisfy(isHex) else { return false }
        let rest = bytes[67...]
        if rest.isEmpty { return true }
        return rest.count >= 2 && rest.count <= 11 && rest.first == UInt8(ascii: ".")
            && rest.dropFirst().allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 122) }
    }
}
