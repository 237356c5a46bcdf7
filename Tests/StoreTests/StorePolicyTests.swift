import ArchiveStore
import DiscordModels
import Foundation
import Testing

/// The backend-neutral rules every store applies: message change classification, volatile fields, user
/// extraction.
@Suite struct StorePolicyTests {
    func stored(_ message: Decoded<Message>) -> MessageChange.Stored {
        MessageChange.Stored(
            editedTimestamp: message.value.editedTimestamp?.rawValue, content: message.value.content,
            json: String(decoding: message.json, as: UTF8.self))
    }

    func classify(_ old: Decoded<Message>?, _ new: Decoded<Message>) -> MessageChange {
        MessageChange.classify(
            stored: old.map(stored), incoming: new.value, incomingJSON: String(decoding: new.json, as: UTF8.self))
    }

    @Test func classifiesMessageVersions() throws {
        let original = try Fixture.message(1, content: "hi", attachments: 1, signature: "aa")
        let resigned = try Fixture.message(1, content: "hi", attachments: 1, signature: "bb", reactions: 4)
        let early = try Fixture.message(1, content: "hey", edited: "2026-11-20T10:00:00.000000+00:00")
        let late = try Fixture.message(1, content: "hey!", edited: "2026-11-21T09:00:00+00:00")
        let sameTimeOtherText = try Fixture.message(1, content: "ho", edited: "2026-11-20T10:00:00.000000+00:00")
        let empty = try Fixture.message(1, content: "")
        #expect(classify(nil, original) == .new)
        #expect(classify(original, original) == .unchanged)
        #expect(classify(original, resigned) == .refreshed)
        #expect(classify(original, early) == .edited)
        #expect(classify(early, late) == .edited)
        #expect(classify(late, early) == .olderVersion)
        #expect(classify(early, original) == .olderVersion)
        #expect(classify(early, sameTimeOtherText) == .edited)
        #expect(classify(original, empty) == .unchanged)
        #expect(classify(empty, original) == .refreshed)
    }

    @Test func volatileFieldsDoNotCountAsChanges() throws {
        let plain = try Fixture.channel(Fixture.channel, name: "general")
        let moved = try Fixture.channel(Fixture.channel, name: "general", lastMessage: Fixture.messageID(9))
        let renamed = try Fixture.channel(Fixture.channel, name: "general-2", lastMessage: Fixture.messageID(9))
        #expect(!VolatileFields.meaningfullyDiffer(plain.json, moved.json, kind: .channel))
        #expect(VolatileFields.meaningfullyDiffer(moved.json, renamed.json, kind: .channel))
        #expect(VolatileFields.meaningfullyDiffer(plain.json, moved.json, kind: .role))
        #expect(
            !VolatileFields.meaningfullyDiffer(
                try Fixture.guild(memberCount: 1).json, try Fixture.guild(memberCount: 2).json, kind: .guild))
        #expect(VolatileFields.meaningfullyDiffer(Data("not json".utf8), Data("also not".utf8), kind: .guild))
    }

    @Test func seenUsersKeepExactBytesAndNewestSighting() throws {
        let member = #"{"roles":[],"nick":"Zee","joined_at":"2025-01-01T00:00:00.000000+00:00"}"#
        let mention = #"{"id":"6001","username":"zed","discriminator":"0","member":\#(member),"global_name":null}"#
        var text = Fixture.messageJSON(5, author: 5001, authorName: "alice")
        text = text.replacingOccurrences(of: #""mentions":[]"#, with: #""mentions":[\#(mention)]"#)
        let withMention = try Decoded<Message>(decoding: Data(text.utf8))
        let older = try Fixture.message(1, author: 5001, authorName: "alice-old")
        let hook = try Fixture.message(2, author: 7001, authorName: "hook", webhook: true)

        let seen = SeenUsers(messages: [withMention, older, hook]).sightings
        #expect(seen.map(\.user.id) == ["5001", "6001"])
        #expect(seen[0].json == Data(Fixture.userJSON(5001, name: "alice").utf8))
        #expect(seen[0].seenAt == Fixture.messageID(5).rawValue)
        let mentioned = try #require(try JSONSerialization.jsonObject(with: seen[1].json) as? [String: Any])
        #expect(mentioned["member"] == nil)
        #expect(mentioned["username"] as? String == "zed")
        #expect(mentioned.keys.contains("global_name"))
    }

    @Test func findsTopLevelMembersExactly() {
        let json = Data(#" { "a" : {"b":"}\"," , "c":[1,{"d":2}]} , "author":{"id":"1"} , "e":null } "#.utf8)
        #expect(JSONScanner.member("a", in: json) == Data(#"{"b":"}\"," , "c":[1,{"d":2}]}"#.utf8))
        #expect(JSONScanner.member("author", in: json) == Data(#"{"id":"1"}"#.utf8))
        #expect(JSONScanner.member("e", in: json) == Data("null".utf8))
        #expect(JSONScanner.member("b", in: json) == nil)
        #expect(JSONScanner.member("a", in: Data("[1]".utf8)) == nil)
    }
}
