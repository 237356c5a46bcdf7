/// Escapes text for HTML element content and quoted attribute values: `&`, `<`, `>`, `"`, `'`.
enum HTMLText {
    /// The escaped text.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// The escaped text with every occurrence of `words` (case-insensitive) wrapped in `<mark>`.
    static func highlight(_ text: String, words: [String]) -> String {
        let needles = words.filter { !$0.isEmpty }
        guard !needles.isEmpty else { return escape(text) }
        var result = ""
        var rest = text[...]
        while !rest.isEmpty {
            let hits = needles.compactMap { rest.range(of: $0, options: [.caseInsensitive]) }
            guard let hit = hits.min(by: { $0.lowerBound < $1.lowerBound }) else { break }
            result += escape(String(rest[..<hit.lowerBound])) + "<mark>" + escape(String(rest[hit])) + "</mark>"
            rest = rest[hit.upperBound...]
        }
        return result + escape(String(rest))
    }
}
