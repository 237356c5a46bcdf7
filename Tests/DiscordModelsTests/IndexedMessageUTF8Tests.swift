import DiscordModels
import Foundation
import Testing

/// The page scanner's UTF-8 proof (`IndexedMessage.isKnownUTF8`): a message it marks is well-formed UTF-8, whatever
/// part of the message holds a bad byte (a string it reads or skips, a key, a skipped scalar or container, the byte
/// after a backslash, an author object skipped by the page's memo), wherever that byte falls in the scanner's words;
/// a message that is UTF-8 is marked, whatever its neighbours hold.
@Suite struct IndexedMessageUTF8Tests {
    /// Sequences `String(validating:)` refuses: a byte never in UTF-8, a lead without its continuation, a surrogate,
    /// an overlong form.
    static let invalid: [[UInt8]] = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF]]

    /// Where in a message a sequence is put: each case gives the message's text around a `#` the bytes replace, after
    /// an `@` the padding replaces.
    static let places = [
        #"{"id":"2","channel_id":"1","timestamp":"2024-01-01T00:00:00+00:00","content":"ab@#cd"}"#,
        #"{"id":"2","channel_id":"1","timestamp":"2024-01-01T00:00:00+00:00","k@#y":1}"#,
        #"{"id":"2","channel_id":"1","timestamp":"2024-01-01T00:00:00+00:00","nonce":"x@#y"}"#,
        ##"{"id":"2","channel_id":"1","timestamp":"2024-01-01T00:00:00+00:00","nonce":"x@\#"}"##,
        #"{"id":"2","channel_id":"1","timestamp":"2024-01-01T00:00:00+00:00","type":1@#}"#,
        #"{"id":"2","channel_id":"1","timestamp":"2024-01-01T00:00:00+00:00","embeds":[{"a":[1,@#2]}]}"#,
        #"{"id":"2","channel_id":"1","timestamp":"2024-01-01T00:00:00+00:00","author":{"id":"9","name":"@#"}}"#,
        #"{"id":"2","channel_id":"1","author":{"id":"9","name":"@#"},"timestamp":"2024-01-01T00:00:00+00:00"}"#,
    ]

    static let plain = #"{"id":"1","channel_id":"1","timestamp":"2024-01-01T00:00:00+00:00","content":"q\"é 🦊"}"#

    /// `place` with `bytes` for its `#` and `padding` letters for its `@` (the bytes then fall at each offset of an
    /// eight-byte word).
    static func message(_ place: String, _ bytes: [UInt8], padding: Int) -> [UInt8] {
        let parts = place.split(separator: "#", omittingEmptySubsequences: false)
        let padded = parts[0].replacingOccurrences(of: "@", with: String(repeating: "p", count: padding))
        return Array(padded.utf8) + bytes + Array(parts[1].utf8)
    }

    @Test func aMessageIsKnownUTF8ExactlyWhenItIs() throws {
        for place in Self.places {
            for bytes in Self.invalid + [Array("é".utf8), Array("🦊".utf8), Array("z".utf8)] {
                let known = UTF8Validation.isValid(Data(bytes))
                for padding in 0..<17 {
                    let bad = Self.message(place, bytes, padding: padding)
                    // The message between two others, and last (its words then reach the page's end).
                    let first: [UInt8] = Array("[\(Self.plain),".utf8)
                    let between: [UInt8] = first + bad + Array(",\(Self.plain)]".utf8)
                    let last: [UInt8] = first + bad + [UInt8(ascii: "]")]
                    for body in [between, last] {
                        let page = try IndexedMessage.page(Data(body))
                        #expect(page.map(\.isKnownUTF8) == [true, known, true].prefix(page.count).map { $0 })
                        let one = try IndexedMessage(json: Data(bad))
                        #expect(one.isKnownUTF8 == known)
                    }
                }
            }
        }
    }

    @Test func anAuthorSkippedByTheMemoCarriesItsBytesVerdict() throws {
        // The second message's author is the first's byte for byte: it is not scanned again, yet not proven.
        let author = Array(#"{"id":"9","username":"x"#.utf8) + [0xFF] + Array(#""}"#.utf8)
        func message(_ id: Int) -> [UInt8] {
            let head: [UInt8] = Array(
                #"{"id":"\#(id)","channel_id":"1","timestamp":"2024-01-01T00:00:00+00:00","author":"#.utf8)
            return head + author + [UInt8(ascii: "}")]
        }
        var body: [UInt8] = [UInt8(ascii: "[")] + message(1)
        body += [UInt8(ascii: ",")] + message(2) + [UInt8(ascii: "]")]
        let page = try IndexedMessage.page(Data(body))
        #expect(page.map(\.authorId) == [Snowflake(9), Snowflake(9)])
        #expect(page.map(\.isKnownUTF8) == [false, false])
    }

    @Test func onlyTheScannerProvesAndNewBytesUnprove() throws {
        var message = try #require(try IndexedMessage.page(Data("[\(Self.plain)]".utf8)).first)
        #expect(message.isKnownUTF8)
        message.json = Data(message.json)
        #expect(!message.isKnownUTF8)
        let decoded = IndexedMessage(try Decoded<Message>(decoding: Data(Self.plain.utf8)))
        #expect(!decoded.isKnownUTF8)
    }

    @Test func aBadByteWhereJSONWantsStructureFailsTheScan() {
        let body =
            Array(#"[{"id":"2","channel_id":"1","#.utf8) + [0xFF]
            + Array(#""timestamp":"2024-01-01T00:00:00+00:00"}]"#.utf8)
        #expect(throws: JSONScanner.Malformed.self) { try IndexedMessage.page(Data(body)) }
    }
}
