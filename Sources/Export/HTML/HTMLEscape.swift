import Foundation

/// HTML escaping for element content and quoted attribute values, and URLs safe to put in `href`/`src`.
public enum HTMLEscape {
    /// The text with `&`, `<`, `>`, `"` and `'` escaped.
    public static func text(_ text: String) -> String {
        // Every character escaped is ASCII, so the UTF-8 bytes are escaped one by one; most texts need nothing.
        let utf8 = text.utf8
        guard utf8.contains(where: needsEscape) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): out += "&amp;".utf8
            case UInt8(ascii: "<"): out += "&lt;".utf8
            case UInt8(ascii: ">"): out += "&gt;".utf8
            case UInt8(ascii: "\""): out += "&quot;".utf8
            case UInt8(ascii: "'"): out += "&#39;".utf8
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether a byte is one ``text(_:)`` escapes.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
        default: false
        }
    }

    /// Appends one scalar, escaped.
    static func append(_ scalar: Unicode.Scalar, to out: inout String) {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(scalar)
        }
    }

    /// An escaped URL for `href`/`src`: `http(s)` URLs, `file:` URLs (an export's media folder outside it, as DCE
    /// links it) and relative paths as they are, anything else (`javascript:`, `data:`, `vbscript:`, unknown schemes)
    /// replaced by `#`.
    public static func url(_ url: String) -> String {
        // The common case first: an http(s) URL without surrounding space (avatars, attachments, links).
        let utf8 = url.utf8
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80,
            hasWebScheme(utf8)
        {
            return text(url)
        }
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return "#" }
        if let colon = trimmed.firstIndex(of: ":") {
            let scheme = trimmed[..<colon]
            let isScheme = scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
            let slash = trimmed.firstIndex(of: "/") ?? trimmed.endIndex
            if isScheme, colon < slash, !["http", "https", "file"].contains(scheme.lowercased()) { return "#" }
        }
        return text(trimmed)
    }

    /// Whether UTF-8 text starts with `http://` or `https://` (any case).
    private static func hasWebScheme(_ utf8: String.UTF8View) -> Bool {
        var index = utf8.startIndex
        for expected in "http".utf8 {
            guard index < utf8.endIndex, utf8[index] | 0x20 == expected else { return false }
            index = utf8.index(after: index)
        }
        if index < utf8.endIndex, utf8[index] | 0x20 == UInt8(ascii: "s") { index = utf8.index(after: index) }
        for expected in "://".utf8 {
            guard index < utf8.endIndex, utf8[index] == expected else { return false }
            index = utf8.index(after: index)
        }
        return true
    }

    /// Whether `url` is an absolute `http(s)` URL (the only links markdown turns into anchors).
    static func isWebURL(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }
}
