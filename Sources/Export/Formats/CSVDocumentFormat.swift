/// DCE's CSV (§16): `AuthorID,Author,Date,Content,Attachments,Reactions`, every field quoted.
struct CSVDocumentFormat: DocumentFormat {
    mutating func preamble(_ header: DocumentHeader) -> [UInt8] {
        Array("AuthorID,Author,Date,Content,Attachments,Reactions\n".utf8)
    }

    mutating func message(_ message: JSONNode, index: Int) -> [UInt8] {
        let author = message["author"]
        let fields = [
            author?["id"]?.string ?? "", TextParts.authorTag(author),
            TextParts.untrimmedDate(message["timestamp"]?.string),
            message["content"]?.string ?? "",
            message["attachments"]?.elements.compactMap { $0["url"]?.string }.joined(separator: ",") ?? "",
            message["reactions"]?.elements.map {
                "\($0["emoji"]?["name"]?.string ?? "") (\($0["count"]?.int ?? 0))"
            }.joined(separator: ",") ?? "",
        ]
        let line = fields.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
        return Array((line + "\n").utf8)
    }

    mutating func postamble(messageCount: Int) -> [UInt8] { [] }
}

/// Small text helpers shared by the CSV, plain-text and HTML formats.
enum TextParts {
    /// `name#dddd` for legacy users, `name` for new ones.
    static func authorTag(_ author: JSONNode?) -> String {
        let name = author?["name"]?.string ?? ""
        let discriminator = author?["discriminator"]?.string ?? "0000"
        return discriminator == "0000" || discriminator == "0" ? name : "\(name)#\(discriminator)"
    }

    /// .NET `o`: the fraction padded to 7 digits.
    static func untrimmedDate(_ text: String?) -> String {
        guard let text, let time = DCETime.parse(text) else { return text ?? "" }
        let offsetText = String(text.suffix(6))
        let sign = offsetText.hasPrefix("-") ? -1 : 1
        let parts = offsetText.dropFirst().split(separator: ":").compactMap { Int($0) }
        let offset = parts.count == 2 ? sign * (parts[0] * 3600 + parts[1] * 60) : 0
        let trimmed = DCETime(seconds: time.seconds, ticks: 0).formatted(offset: offset)
        var fraction = String(time.ticks)
        fraction = String(repeating: "0", count: 7 - fraction.count) + fraction
        return String(trimmed.dropLast(6)) + "." + fraction + String(trimmed.suffix(6))
    }

    /// .NET `g` in en-US with the timestamp's own offset.
    static func generalDate(_ text: String?) -> String {
        guard let text, let time = DCETime.parse(text) else { return text ?? "" }
        let offsetText = String(text.suffix(6))
        let sign = offsetText.hasPrefix("-") ? -1 : 1
        let parts = offsetText.dropFirst().split(separator: ":").compactMap { Int($0) }
        let offset = parts.count == 2 ? sign * (parts[0] * 3600 + parts[1] * 60) : 0
        return DotNetDateFormat.format(time, offset: offset, letter: "g") ?? text
    }
}
