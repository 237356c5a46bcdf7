import DiscordModels
import Foundation
import Testing

@Suite struct DecodeToleranceTests {
    func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    @Test func fullMessageDecodesWithUnknownFieldsAndValues() throws {
        let message = try JSONDecoder().decode(Message.self, from: try fixture("message-full"))
        #expect(message.type == .reply)
        #expect(message.referencedMessage == .deleted)
        #expect(message.content.unicodeScalars.contains("😀"))
        #expect(message.attachments.first?.filename == "cat.png")
        #expect(message.reactions?.first?.countDetails == Reaction.CountDetails(burst: 1, normal: 2))
        #expect(message.stickerItems?.first?.formatType == .unknown(9))
        #expect(message.thread?.type == .publicThread)
        #expect(message.poll?.answers.first?.pollMedia.emoji?.name == "🍵")
        #expect(message.components?.count == 1)
    }

    @Test func unknownEnumValuesSurviveARoundTrip() throws {
        let channel = try JSONDecoder().decode(Channel.self, from: Data(#"{"id":"1","type":99}"#.utf8))
        #expect(channel.type == .unknown(99))
        let again = try JSONDecoder().decode(Channel.self, from: try JSONEncoder().encode(channel))
        #expect(again.type.rawValue == 99)
        let message = try JSONDecoder().decode(
            Message.self,
            from: Data(
                #"{"id":"2","channel_id":"1","content":"","timestamp":"2024-01-01T00:00:00+00:00","type":55}"#.utf8))
        #expect(message.type == .other(55))
    }

    @Test func referencedMessageAbsentNullAndPresentAreDistinct() throws {
        let base = #""id":"2","channel_id":"1","content":"x","timestamp":"2024-01-01T00:00:00+00:00","type":19"#
        let absent = try JSONDecoder().decode(Message.self, from: Data("{\(base)}".utf8))
        #expect(absent.referencedMessage == nil)
        let null = try JSONDecoder().decode(Message.self, from: Data("{\(base),\"referenced_message\":null}".utf8))
        #expect(null.referencedMessage == .deleted)
        let present = try JSONDecoder().decode(
            Message.self, from: Data("{\(base),\"referenced_message\":{\(base)}}".utf8))
        guard case .message(let inner) = present.referencedMessage else {
            Issue.record("expected a referenced message")
            return
        }
        #expect(inner.id == "2")
        // Encoding keeps the distinction.
        let reencoded = String(decoding: try JSONEncoder().encode(null), as: UTF8.self)
        #expect(reencoded.contains(#""referenced_message":null"#))
    }

    @Test func decodedKeepsTheExactBytesOfEachArrayElement() throws {
        let first = #"{"id":"1","username":"a\"]},{","discriminator":"0","new":[1,{"x":"]"}]}"#
        let second = "{\"id\":\"2\",\n \"username\":\"b 😀\"}"
        let array = Data("[ \(first) ,\n\t\(second)]".utf8)
        let users = try Decoded<User>.decodeArray(array)
        #expect(users.map(\.value.id) == ["1", "2"])
        #expect(String(decoding: users[0].json, as: UTF8.self) == first)
        #expect(String(decoding: users[1].json, as: UTF8.self) == second)
        #expect(try Decoded<User>.decodeArray(Data(" [ ] ".utf8)).isEmpty)
        #expect(throws: JSONScanner.Malformed.self) { try JSONScanner.elements(of: Data("[{\"a\":1}".utf8)) }
        #expect(throws: JSONScanner.Malformed.self) { try JSONScanner.elements(of: Data("{}".utf8)) }
    }

    @Test func permissionsAreDecimalStrings() throws {
        let role = try JSONDecoder().decode(
            Role.self, from: Data(#"{"id":"5","name":"r","position":1,"permissions":"9007199254740991"}"#.utf8))
        #expect(role.permissions.contains(.pinMessages))
        #expect(role.permissions.contains(.bypassSlowmode))
        let encoded = String(decoding: try JSONEncoder().encode(role.permissions), as: UTF8.self)
        #expect(encoded == #""9007199254740991""#)
    }
}
