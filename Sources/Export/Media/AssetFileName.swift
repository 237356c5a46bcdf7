import Crypto
import Foundation

/// The name DiscordChatExporter 2.47 gives a downloaded asset (`ExportAssetDownloader.GetFileNameFromUrl`;
/// dce-json.md §14.2): the URL's last segment with 16 hex digits of the SHA-256 of the normalized URL before its
/// extension, so `https://cdn.discordapp.com/avatars/1/abcd.png?size=512` is saved as `abcd-<16 hex>.png`.
enum AssetFileName {
    /// The file name of the asset at `url`.
    static func name(for url: String) -> String {
        let digest = SHA256.hash(data: Data(normalized(url).utf8))
        let hash = String(digest.map { String(format: "%02x", $0) }.joined().prefix(16))
        // DCE's `.+/([^?]*)`: the text after the last `/` of the whole URL (its query too), up to the next `?`.
        guard let slash = url.lastIndex(of: "/"), slash > url.startIndex else { return hash }
        let name = String(url[url.index(after: slash)...].prefix { $0 != "?" })
        guard !name.allSatisfy(\.isWhitespace) else { return hash }
        var stem = name
        var ext = ""
        // .NET's `Path.GetExtension`: from the last dot, unless the name ends with it.
        if let dot = name.lastIndex(of: "."), name.index(after: dot) != name.endIndex {
            stem = String(name[..<dot])
            ext = String(name[dot...])
        }
        // "Probably not a file extension, just a dot in a long file name" (DCE #812); lengths in UTF-16 units.
        if ext.utf16.count > 41 {
            stem = name
            ext = ""
        }
        return OutputPath.sanitize(truncated(stem, toUTF16: 42) + "-" + hash + ext)
    }

    /// DCE's `NormalizeUrl`: on `cdn.discordapp.com` the signature parameters `ex`, `is` and `hm` are dropped and
    /// what is left of the query follows the path **without** its `?` (`GetLeftPart(UriPartial.Path)` + .NET's
    /// `HttpUtility.ParseQueryString(…).ToString()`), so one attachment hashes alike however it was signed. Any
    /// other host: the URL as it is.
    static func normalized(_ url: String) -> String {
        guard let components = URLComponents(string: url), components.host?.lowercased() == "cdn.discordapp.com"
        else { return url }
        let base = String(url.prefix { $0 != "?" && $0 != "#" })
        return base + queryText(components.percentEncodedQuery ?? "")
    }

    /// .NET's parsed query collection written back, without `ex`, `is` and `hm`: values grouped under their key in
    /// the order keys first appear, each value URL-encoded again (`%xx` lowercase, a space as `+`); a pair without
    /// `=` (and the empty pair a trailing `&` makes) has no key and is written as its value alone.
    static func queryText(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        var keys: [String?] = []
        var values: [String?: [String]] = [:]
        func add(_ key: String?, _ value: String) {
            if values[key] == nil { keys.append(key) }
            values[key, default: []].append(value)
        }
        let segments = query.split(separator: "&", omittingEmptySubsequences: false)
        for (index, segment) in segments.enumerated() {
            // The text after a trailing `&` is no pair of its own: .NET adds the empty one when it meets the `&`.
            if index == segments.count - 1, segment.isEmpty { break }
            if let equals = segment.firstIndex(of: "=") {
                add(formDecoded(segment[..<equals]), formDecoded(segment[segment.index(after: equals)...]))
            } else {
                add(nil, formDecoded(segment))
            }
            if index == segments.count - 2, segments[index + 1].isEmpty { add(nil, "") }
        }
        var out = ""
        for key in keys where !["ex", "is", "hm"].contains(key ?? "") {
            for value in values[key] ?? [] {
                if let key, !key.isEmpty { out += key + "=" }
                out += formEncoded(value) + "&"
            }
        }
        return String(out.dropLast())
    }

    private static func formDecoded(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// .NET's `HttpUtility.UrlEncode`: letters, digits and `-_.!*()` kept, a space as `+`, the rest `%xx` (lowercase).
    private static func formEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "!"), UInt8(ascii: "*"), UInt8(ascii: "("), UInt8(ascii: ")"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): out += "+"
            default: out += String(format: "%%%02x", byte)
            }
        }
        return out
    }

    /// The first `limit` UTF-16 units of `text` (a surrogate pair is not split: .NET would, and the file system
    /// refuses half a pair).
    private static func truncated(_ text: String, toUTF16 limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        var out = ""
        var units = 0
        for scalar in text.unicodeScalars {
            units += scalar.utf16.count
            guard units <= limit else { break }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
