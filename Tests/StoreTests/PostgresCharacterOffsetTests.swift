import Foundation
import Testing

@testable import PostgresStore

/// The character offset of the author's `null` (``PostgresMessageAuthors/characterOffset(in:at:)``), counted eight
/// bytes at a time: the same as Swift's count of the characters' scalars before it, for every prefix length and mix
/// of one- to four-byte characters.
@Suite struct PostgresCharacterOffsetTests {
    @Test func countsTheScalarsBeforeEveryOffset() {
        let texts = [
            "", "plain ASCII text of more than eight bytes", "åsa", "Ωmega ünïcödé ✓✓✓ 🦊🦊 end",
            String(repeating: "é", count: 37) + "x" + String(repeating: "🙂", count: 11) + "中文字符",
        ]
        for text in texts {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBytes { raw in
                for offset in 0...bytes.count {
                    let expected = String(decoding: bytes[..<offset], as: UTF8.self).unicodeScalars.count
                    // Only offsets on a character boundary are meaningful (an author object starts at `{`).
                    guard offset == bytes.count || bytes[offset] & 0xC0 != 0x80 else { continue }
                    #expect(PostgresMessageAuthors.characterOffset(in: raw, at: offset) == expected)
                }
            }
        }
    }
}
