/// Where a downloaded file lives inside the media folder: `ab/<sha256>.<ext>`. Only the extension of Discord's
/// file name is kept, and only if it is short and alphanumeric, so no name from Discord can escape the folder.
enum MediaPath {
    static func relativePath(sha256: String, filename: String) -> String {
        let prefix = String(sha256.prefix(2))
        guard let dot = filename.lastIndex(of: ".") else { return "\(prefix)/\(sha256)" }
        let ext = filename[filename.index(after: dot)...].lowercased()
        let safe = !ext.isEmpty && ext.count <= 10 && ext.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        return safe ? "\(prefix)/\(sha256).\(ext)" : "\(prefix)/\(sha256)"
    }
}
