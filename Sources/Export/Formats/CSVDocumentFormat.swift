import DiscordModels

/// DCE's CSV (§16): `AuthorID,Author,Date,Content,Attachments,Reactions`, every field quoted, each row ended by
/// `newline` (DCE writes the system's: CRLF on Windows).
struct CSVDocumentFormat: DocumentFormat {
    let newline: String

    init(newline: String = "\n") { self.newline = newline }

    mutating func preamble(_ header: DocumentHeader) -> [UInt8] {
        Array(("AuthorID,Author,Date,Content,Attachments,Reactions" + newline).utf8)
    }

    mutating func message(_ message: JSONValue, index: Int) -> [UInt8] {
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
        return Array((line + newline).utf8)
    }

    mutating func postamble(messageCount: Int) -> [UInt8] { [] }
}
