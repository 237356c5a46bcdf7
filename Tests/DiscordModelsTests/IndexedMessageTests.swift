import DiscordModels
import Foundation
import Testing

@Suite struct IndexedMessageTests {
    func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    @Test func scanningIndexesWhatDecodingDoes() throws {
        let json = try fixture("message-full")
        let scanned = try IndexedMessage(json: json)
        let decoded = IndexedMessage(try Decoded<Message>(decoding: json))
        #expect(scanned == decoded)
        #expect(scanned.json == json)
        #expect(scanned.type == 19)
        #expect(scanned.flags == 32)
        #expect(scanned.editedTimestamp == "2024-01-01T00:05:00+00:00")
        #expect(scanned.reactions?.first?.burstCount == 1)
        #expect(scanned.attachments.first?.contentType == "image/png")
    }

    @Test func pagesKeepEachElementsBytes() throws {
        let elements = [
            #"{"id":"5","channel_id":"2","timestamp":"2024-01-01T00:00:00+00:00","content":"a\"b\u00e9","author":{"id":"9","username":"x"},"webhook_id":"7","mentions":[{"id":"8","username":"m","member":{"nick":null}}]}"#,
            #"{ "timestamp" : "2024-01-02T00:00:00+00:00" , "id" : "6", "channel_id": "2", "edited_timestamp": null, "reactions": [{"emoji":{"id":"3","name":"k"},"count":2}], "message_reference": {"message_id":"5","channel_id":"2"}, "pinned": true }"#,
        ]
        let body = Data(("[" + elements.joined(separator: " ,\n ") + "]").utf8)
        let page = try IndexedMessage.page(body)
        #expect(page.map(\.json) == elements.map { Data($0.utf8) })
        for message in page {
            #expect(message == IndexedMessage(try Decoded<Message>(decoding: message.json)))
        }
        #expect(page[0].content == "a\"bé")
        #expect(page[0].isWebhook)
        #expect(page[0].mentionIds == [Snowflake(8)])
        #expect(page[1].pinned)
        #expect(page[1].referenceMessageId == Snowflake(5))
        #expect(page[1].reactions?.first?.emojiId == Snowflake(3))
    }

    @Test func rejectsNonMessages() {
        #expect(throws: JSONScanner.Malformed.self) { try IndexedMessage(json: Data(#"{"id":"1"}"#.utf8)) }
        #expect(throws: JSONScanner.Malformed.self) {
            try IndexedMessage.page(Data(#"[{"id":"1","channel_id":"2"#.utf8))
        }
    }
}
