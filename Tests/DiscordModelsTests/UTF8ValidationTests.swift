import DiscordModels
import Foundation
import Testing

/// The in-place UTF-8 check the archive's planner applies to every message's bytes: the same verdict as
/// `String(validating:as:)` on every byte sequence.
@Suite struct UTF8ValidationTests {
    func verdicts(_ bytes: [UInt8]) -> (mine: Bool, standard: Bool) {
        (UTF8Validation.isValid(Data(bytes)), String(validating: bytes, as: UTF8.self) != nil)
    }

    @Test(arguments: [
        "", "plain ASCII, long enough for the eight-byte steps", "é", "€ and 𝄞 beyond the BMP", "日本語のテキスト",
        "{\"content\":\"mixed ascii then ü then 😀 at the end 😀\"}",
    ])
    func acceptsText(_ text: String) {
        #expect(UTF8Validation.isValid(Data(text.utf8)))
    }

    /// Overlong forms, surrogates, code points past U+10FFFF, stray and truncated continuations: all rejected,
    /// at any offset from the eight-byte steps.
    @Test(
        arguments: [
            [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
            [0xF0, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80], [0xBF],
            [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xC3, 0x28], [0xE2, 0x28, 0xA1], [0xF0, 0x9F, 0x28, 0x80],
        ] as [[UInt8]])
    func rejectsMalformed(_ sequence: [UInt8]) {
        for prefix in 0..<9 {
            let bytes = Array(repeating: UInt8(ascii: "a"), count: prefix) + sequence + Array("tail".utf8)
            #expect(!UTF8Validation.isValid(Data(bytes)), "\(sequence) after \(prefix) ASCII bytes")
            #expect(!UTF8Validation.isValid(Data(Array(repeating: UInt8(ascii: "a"), count: prefix) + sequence)))
        }
    }

    /// Every one- to three-byte sequence over the bytes where the rules change, and random bytes: the verdict of
    /// `String(validating:)`.
    @Test func agreesWithTheStandardLibrary() {
        let edges: [UInt8] = [
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED,
            0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
        ]
        for a in edges {
            for b in edges {
                for c in edges {
                    for bytes in [[a], [a, b], [a, b, c], [a, b, c, 0x80], [a, b, c, 0xBF]] {
                        let verdict = verdicts(bytes)
                        #expect(verdict.mine == verdict.standard, "\(bytes)")
                    }
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0..<40, using: &generator)).map { _ in
                Bool.random(using: &generator)
                    ? UInt8.random(in: 0x20..<0x80, using: &generator)
                    : UInt8.random(in: 0x80...0xFF, using: &generator)
            }
            let verdict = verdicts(bytes)
            #expect(verdict.mine == verdict.standard, "\(bytes)")
        }
    }
}
