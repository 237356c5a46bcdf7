import Foundation
import Testing

@testable import DiscordREST

@Suite struct JSONObjectMembersTests {
    @Test func extractsTopLevelMembersByteForByte() throws {
        let text =
            #"{ "threads" : [{"id":"1","name":"a \"quoted\" }]"}, {"id":"2"}] ,"has_more":true,"x":{"threads":[]}}"#
        let values = try JSONObjectMembers.values(["threads", "has_more", "missing"], in: Data(text.utf8))
        #expect(
            String(decoding: values["threads"]!, as: UTF8.self) == #"[{"id":"1","name":"a \"quoted\" }]"}, {"id":"2"}]"#
        )
        #expect(String(decoding: values["has_more"]!, as: UTF8.self) == "true")
        #expect(values["missing"] == nil)
        #expect(values.count == 2)
    }

    @Test func rejectsNonObjects() {
        #expect(throws: (any Error).self) { try JSONObjectMembers.values(["a"], in: Data("[1,2]".utf8)) }
        #expect(throws: (any Error).self) { try JSONObjectMembers.values(["a"], in: Data(#"{"a":[1,2"#.utf8)) }
    }
}
