import ArchiveStore
import DiscordModels
import Foundation
import Testing

extension StoreConformance {
    // MARK: Texts bound from the page's bytes

    /// Contents as the JSON writes them (raw, between the quotes) and the text each stands for.
    static let escapedContents: [(raw: String, text: String)] = [
        (#"line one\nline two\r\n"#, "line one\nline two\r\n"),
        (#"she said \"hi\" \/ \\ back\tslash"#, "she said \"hi\" / \\ back\tslash"),
        (#"caf\u00e9 and caf\u00C9"#, "café and cafÉ"),
        (#"a fox \ud83e\udd8a in a pair"#, "a fox 🦊 in a pair"),
        (#"raw emoji 🛡️ ünïcödé and an escaped \u00e9 after"#, "raw emoji 🛡️ ünïcödé and an escaped é after"),
        (#"lone \ud800 surrogate"#, "lone \u{FFFD} surrogate"),
        (#"nul\u0000here"#, "nul\u{0}here"),
        ("plain text without an escape", "plain text without an escape"),
        ("", ""),
    ]

    /// Messages whose content (and edit timestamp) have escapes or not, stored once with their texts bound straight
    /// from the page's bytes (unescaped where needed) and once as `String`s (the path before): both read back alike,
    /// as the text the JSON stands for, and are found by search; the JSON stays the bytes sent.
    static func textsFromBytesReadBackAsStrings(_ store: any ArchiveStore) async throws {
        let count = escapedContents.count
        // The edit timestamp of every other message has an escape (`\u002B` is `+`).
        let edited = "2026-11-20T10:00:00.000000+00:00"
        func json(_ index: Int) -> String {
            let content = escapedContents[index % count]
            let message = Fixture.messageJSON(
                index, content: "CONTENT", edited: index % 3 == 0 ? nil : "EDITED",
                mentions: index % 4 == 0 ? [5002] : [])
            return
                message
                .replacingOccurrences(of: "CONTENT", with: content.raw)
                .replacingOccurrences(
                    of: "EDITED", with: index % 2 == 0 ? edited : edited.replacingOccurrences(of: "+", with: #"\u002B"#)
                )
        }
        let bytes = (0..<count).map(json)
        let strings = (count..<2 * count).map(json)
        let fromBytes = try IndexedMessage.page(Data(("[" + bytes.joined(separator: ",") + "]").utf8))
        #expect(fromBytes.contains { $0.contentText?.isVerbatim == false })
        #expect(fromBytes.contains { $0.contentText?.isVerbatim == true })
        // The same texts given as `String`s, as the scanner made them before.
        let asStrings = try IndexedMessage.page(Data(("[" + strings.joined(separator: ",") + "]").utf8)).enumerated()
            .map { index, scanned in
                var message = scanned
                message.contentText = IndexedText(escapedContents[index].text)
                message.timestampText = IndexedText(Fixture.timestamp(Fixture.messageID(count + index)))
                message.editedTimestampText = (count + index) % 3 == 0 ? nil : IndexedText(edited)
                #expect(message == scanned)
                return message
            }
        for (index, message) in fromBytes.enumerated() {
            #expect(message.content == escapedContents[index].text)
            #expect(message.editedTimestamp == (index % 3 == 0 ? nil : edited))
        }
        _ = try await store.storeMessagePages([
            MessagePage(channelId: Fixture.channel, guildId: Fixture.guild, messages: fromBytes),
            MessagePage(channelId: Fixture.channel, guildId: Fixture.guild, messages: asStrings),
        ])

        let stored = try await store.messages(in: Fixture.channel, after: nil, limit: 100)
        #expect(stored.count == 2 * count)
        for (index, message) in stored.enumerated() {
            let other = stored[(index + count) % (2 * count)]
            #expect(message.content == other.content, "message \(index)")
            #expect(message.timestamp.rawValue == Fixture.timestamp(message.id))
            #expect(message.editedTimestamp?.rawValue == (index % 3 == 0 ? nil : edited))
            #expect(String(decoding: message.json, as: UTF8.self) == (bytes + strings)[index])
            let text = escapedContents[index % count].text
            // A NUL character reads back as each backend's text column holds it (PostgreSQL's cannot: U+FFFD; SQLite's
            // text is read up to it), the same for both paths; the JSON keeps `\u0000`.
            if !text.contains("\0") { #expect(message.content == text) }
        }
        #expect(try await store.searchMessages("fox", in: Fixture.channel, limit: 10).count == 2)
        #expect(try await store.searchMessages("surrogate", in: Fixture.channel, limit: 10).count == 2)
    }
}
