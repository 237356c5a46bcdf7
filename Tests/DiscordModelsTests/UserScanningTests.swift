import DiscordModels
import Foundation
import Testing

/// `User(scanning:)` (the archive's hot path) reads and refuses what `JSONDecoder` does for a user's own members.
@Suite struct UserScanningTests {
    /// Objects both must read alike: Discord's shapes, escapes, nulls, unknown members (nested ones included),
    /// ids as numbers, whitespace.
    static let accepted = [
        #"{"id":"80351110224678912","username":"Nelly","discriminator":"1337","avatar":"8342729096ea3675442027381ff50dfe","global_name":null}"#,
        #"{"id":"5","username":"a\"b\u00e9\ud83d\ude00","discriminator":"0","global_name":"Zé","avatar":null,"bot":true,"system":false,"banner":"b","accent_color":16711680,"flags":64,"public_flags":64}"#,
        #" { "username" : "x" , "id" : 42 , "bot" : null , "accent_color" : null , "avatar_decoration_data" : {"asset":"a","sku_id":"1"} , "clan" : null , "primary_guild" : {"identity_enabled":true,"tag":["x",{"y":[]}]} } "#,
        #"{"id":"7","username":"","flags":1.0,"public_flags":1e3}"#,
        #"{"id":"18446744073709551615","username":"max"}"#,
    ]

    /// Objects both must refuse: a member of the wrong type, a required member absent or null, ids out of range.
    static let refused = [
        #"{"username":"no id"}"#,
        #"{"id":"1"}"#,
        #"{"id":"1","username":null}"#,
        #"{"id":null,"username":"x"}"#,
        #"{"id":"1x","username":"x"}"#,
        #"{"id":"18446744073709551616","username":"x"}"#,
        #"{"id":-1,"username":"x"}"#,
        #"{"id":"1","username":5}"#,
        #"{"id":"1","username":"x","bot":"yes"}"#,
        #"{"id":"1","username":"x","bot":1}"#,
        #"{"id":"1","username":"x","avatar":7}"#,
        #"{"id":"1","username":"x","discriminator":0}"#,
        #"{"id":"1","username":"x","flags":"64"}"#,
        #"{"id":"1","username":"x","accent_color":1.5}"#,
        #"["id","1"]"#,
        #"{"id":"1","username":"x""#,
    ]

    @Test(arguments: accepted) func readsWhatDecodingReads(_ text: String) throws {
        let json = Data(text.utf8)
        let decoded = try JSONDecoder().decode(User.self, from: json)
        #expect(try User(scanning: json) == decoded)
    }

    @Test(arguments: refused) func refusesWhatDecodingRefuses(_ text: String) throws {
        let json = Data(text.utf8)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(User.self, from: json) }
        #expect(throws: (any Error).self) { try User(scanning: json) }
    }

    /// A slice of a larger buffer (an author inside its page) reads the same as a copy of its bytes.
    @Test func readsASliceInPlace() throws {
        let page = Data(#"[{"author":{"id":"9","username":"nine","bot":true}}]"#.utf8)
        let start = try #require(page.firstIndex(of: UInt8(ascii: "{")).map { $0 + 10 })
        let slice = page[start..<page.count - 2]
        #expect(try User(scanning: slice) == User(id: Snowflake(9), username: "nine", discriminator: nil, bot: true))
    }
}
