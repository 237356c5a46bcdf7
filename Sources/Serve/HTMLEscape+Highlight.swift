import Export
import Foundation

extension HTMLEscape {
    /// The escaped text with every occurrence of `words` (case-insensitive) wrapped in `<mark>`.
    static func highlight(_ text: String, words: [String]) -> String {
        let needles = words.filter { !$0.isEmpty }
        guard !needles.isEmpty else { return HTMLEscape.text(text) }
        var result = ""
        var rest = text[...]
        while !rest.isEmpty {
            let hits = needles.compactMap { rest.range(of: $0, options: [.caseInsensitive]) }
            guard let hit = hits.min(by: { $0.lowerBound < $1.lowerBound }) else { break }
            result +=
                HTMLEscape.text(String(rest[..<hit.lowerBound])) + "<mark>" + HTMLEscape.text(String(rest[hit]))
                + "</mark>"
            rest = rest[hit.upperBound...]
        }
        return result + HTMLEscape.text(String(rest))
    }
}
