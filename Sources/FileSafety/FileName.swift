import Foundation

/// File names that fit the file system: most allow 255 bytes per name, and 60 CJK characters (3 bytes each) in a
/// guild name plus a channel name are enough to exceed that.
public enum FileName {
    /// The longest name (one path component) in UTF-8 bytes on common file systems (ext4, APFS, NTFS in UTF-16
    /// units is larger).
    public static let maxBytes = 255

    /// `text` cut at a character boundary so that it takes at most `limit` UTF-8 bytes.
    public static func truncated(_ text: String, toBytes limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var result = ""
        var used = 0
        for character in text {
            let size = character.utf8.count
            guard used + size <= limit else { break }
            result.append(character)
            used += size
        }
        return result
    }

    /// `head + tail`, with `head` shortened (and marked with `…`) so the whole takes at most `limit` bytes; the
    /// tail (an `[id]` and the extension) is always kept whole.
    public static func fitting(head: String, tail: String, limit: Int = maxBytes) -> String {
        guard head.utf8.count + tail.utf8.count > limit else { return head + tail }
        let ellipsis = "…"
        let room = max(0, limit - tail.utf8.count - ellipsis.utf8.count)
        return truncated(head, toBytes: room) + ellipsis + tail
    }

    /// A file name shortened to fit `limit` bytes, keeping its end from the last ` [` (DCE's `[id]` and what follows
    /// it) or else its extension.
    public static func fitting(_ name: String, limit: Int = maxBytes) -> String {
        guard name.utf8.count > limit else { return name }
        if let bracket = name.range(of: " [", options: .backwards), name[bracket.lowerBound...].utf8.count < limit / 2 {
            return fitting(
                head: String(name[..<bracket.lowerBound]), tail: String(name[bracket.lowerBound...]), limit: limit)
        }
        if let dot = name.lastIndex(of: "."), name[dot...].utf8.count < 16 {
            return fitting(head: String(name[..<dot]), tail: String(name[dot...]), limit: limit)
        }
        return fitting(head: name, tail: "", limit: limit)
    }
}
