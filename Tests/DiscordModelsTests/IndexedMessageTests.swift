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

    /// An id the page's scanner cannot store (the spec's pattern allows 20 digits, above 2^64 − 1) is refused
    /// naming it, for a message and for an attachment alike; before, an attachment's was stored as 0 and a message's
    /// refused as missing ("a message needs id, channel_id and timestamp").
    @Test(arguments: [
        (
            #"{"id":"99999999999999999999","channel_id":"2","timestamp":"2024-01-01T00:00:00+00:00"}"#,
            "the message has an id too large for 64 bits (99999999999999999999)"
        ),
        (
            #"{"id":"5","channel_id":"18446744073709551616","timestamp":"2024-01-01T00:00:00+00:00"}"#,
            "the message's channel has an id too large for 64 bits (18446744073709551616)"
        ),
        (
            #"{"id":"5","channel_id":"2","timestamp":"2024-01-01T00:00:00+00:00","attachments":[{"id":"18446744073709551616","filename":"a.png"}]}"#,
            "an attachment of the message has an id too large for 64 bits (18446744073709551616)"
        ),
        (
            #"{"id":"5","channel_id":"2","timestamp":"2024-01-01T00:00:00+00:00","attachments":[{"id":-4}]}"#,
            "an attachment of the message has a negative id (-4)"
        ),
    ])
    func idsAbove64BitsAreRefusedNamingThem(_ json: String, _ reason: String) throws {
        let error = try #require(throws: JSONScanner.Malformed.self) {
            try IndexedMessage.page(Data(("[" + json + "]").utf8))
        }
        #expect(error.reason.hasPrefix(reason), "\(error.reason)")
        #expect(error.reason.contains("Discord ids are"), "\(error.reason)")
        let largest =
            #"{"id":"18446744073709551615","channel_id":"2","timestamp":"2024-01-01T00:00:00+00:00","attachments":[{"id":"18446744073709551615"}]}"#
        let page = try IndexedMessage.page(Data(("[" + largest + "]").utf8))
        #expect(page[0].id.rawValue == .max && page[0].attachments[0].id.rawValue == .max)
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

    @Test func onePassPagesIndexWhatDecodingDoes() throws {
        // Unknown members with nested values (strings holding brackets and escaped quotes), a null author, members in
        // any order with whitespace, attachments and mentions: each message indexes as its decoded model does, with
        // its exact bytes and its author object's range.
        let embed = #"[{"title":"a ]} \"quoted\" [{","fields":[{"name":"n","value":"v\\"}],"color":12}]"#
        let elements = [
            #"{"id":"11","channel_id":"2","timestamp":"2024-01-01T00:00:00+00:00","content":"","embeds":\#(embed),"author":{"id":"9","username":"x","avatar":null,"flags":0},"attachments":[{"id":"4","filename":"a.png","size":12,"url":"https://cdn/a.png","proxy_url":"https://media/a.png","content_type":"image/png","width":1}],"components":[],"type":0}"#,
            #"{"author":null,"webhook_id":null,"id":"12","timestamp":"2024-01-01T00:00:01+00:00","channel_id":"2","mentions":[{"id":"7","username":"m"},{"id":"8","username":"n"}],"flags":4,"reactions":null}"#,
            "{\n \"id\" : \"13\" ,\t\"channel_id\":\"2\",\"timestamp\":\"2024-01-01T00:00:02+00:00\",\"content\":\"\\u00e9\\\"\",\"author\" : { \"username\":\"y\", \"id\":\"10\" } }",
        ]
        let body = Data(("[ " + elements.joined(separator: ",") + "\n]").utf8)
        let page = try IndexedMessage.page(body)
        #expect(page.map(\.json) == elements.map { Data($0.utf8) })
        for message in page {
            #expect(message == IndexedMessage(try Decoded<Message>(decoding: message.json)))
        }
        #expect(page[0].attachments.first?.filename == "a.png")
        // A page's messages are slices of its bytes: the author's range counts from the slice's start.
        let first = page[0].json
        #expect(
            page[0].authorRange.map { first[(first.startIndex + $0.lowerBound)..<(first.startIndex + $0.upperBound)] }
                == JSONScanner.member("author", in: first))
        #expect(page[1].authorId == nil && page[1].authorRange == nil)
        #expect(page[1].mentionIds == [Snowflake(7), Snowflake(8)])
        #expect(page[2].content == "é\"")
        #expect(page[2].authorId == Snowflake(10))
        #expect(try IndexedMessage.page(Data(" [ ] ".utf8)).isEmpty)
    }

    /// An author's or a mention's `id` is read and the rest of its object skipped unread: whatever follows the `id`
    /// (nested objects, brackets and quotes in strings), wherever the `id` stands, or with no `id` at all, each
    /// message indexes as its decoded model does and the members after the object are read.
    @Test func authorsAndMentionsAreReadUpToTheirId() throws {
        let rest = #""username":"a]}\"{","unknown_object":{"nameplate":{"asset":"x/[y]"}},"unknown":[0,{"z":null}]"#
        let elements = [
            #"{"id":"21","channel_id":"2","timestamp":"2024-01-01T00:00:00+00:00","author":{"id":"9",\#(rest)},"mentions":[{"id":"7",\#(rest)},{\#(rest),"id":"8"}],"pinned":true,"content":"after"}"#,
            #"{"id":"22","channel_id":"2","timestamp":"2024-01-01T00:00:00+00:00","author":{\#(rest),"id":"10"},"type":19,"mentions":[{"id":"11","username":"u"}]}"#,
            #"{"author":{\#(rest)},"id":"23","channel_id":"2","timestamp":"2024-01-01T00:00:00+00:00","flags":4}"#,
        ]
        let page = try IndexedMessage.page(Data(("[" + elements.joined(separator: ",") + "]").utf8))
        #expect(page.map(\.json) == elements.map { Data($0.utf8) })
        // The last author has no id: no model decodes it.
        for message in page.prefix(2) {
            #expect(message == IndexedMessage(try Decoded<Message>(decoding: message.json)))
        }
        #expect(page[2].authorId == nil && page[2].authorRange != nil)
        #expect(page[0].authorId == Snowflake(9) && page[0].mentionIds == [Snowflake(7), Snowflake(8)])
        #expect(page[0].pinned && page[0].content == "after")
        #expect(page[1].authorId == Snowflake(10) && page[1].type == 19 && page[1].mentionIds == [Snowflake(11)])
        #expect(page[2].flags == 4)
    }

    @Test func rejectsNonMessages() {
        #expect(throws: JSONScanner.Malformed.self) { try IndexedMessage(json: Data(#"{"id":"1"}"#.utf8)) }
        #expect(throws: JSONScanner.Malformed.self) {
            try IndexedMessage.page(Data(#"[{"id":"1","channel_id":"2"#.utf8))
        }
    }
}
