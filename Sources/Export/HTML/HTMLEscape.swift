import Foundation

/// HTML escaping for element content and quoted attribute values, and URLs safe to put in `href`/`src`.
public enum HTMLEscape {
    /// The text with `&`, `<`, `>`, `"` and `'` escaped.
    public static func text(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { append(scalar, to: &out) }
        return out
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

    /// An escaped URL for `href`/`src`: `http(s)` URLs and relative paths as they are, anything else (`javascript:`,
    /// `data:`, `vbscript:`, unknown schemes) replaced by `#`.
    public static func url(_ url: String) -> String {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return "#" }
        if let colon = trimmed.firstIndex(of: ":") {
            let scheme = trimmed[..<colon]
            let isScheme = scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
            let slash = trimmed.firstIndex(of: "/") ?? trimmed.endIndex
            if isScheme, colon < slash, !["http", "https"].contains(scheme.lowercased()) { return "#" }
        }
        return text(trimmed)
    }

    /// Whether `url` is an absolute `http(s)` URL (the only links markdown turns into anchors).
    static func isWebURL(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }
}
