import DiscordModels
import Export
import Foundation
import Testing

/// The import's tree-free reader writes exactly what the tree reader and DCE's compact encoding write, whatever the
/// chunks the file arrives in; malformed input is refused with the byte offset from the start of the file.
@Suite struct JSONCompactReaderTests {
    /// `readCompactValue` against `compact(readValue())` on the same bytes, read in chunks of `chunk` bytes.
    static func compare(
        _ bytes: [UInt8], chunk: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var tree = JSONChunkedInput(bytes: bytes, chunkSize: chunk)
        let expected = DCEJSONEncoding.compact(try tree.readValue())
        var fast = JSONChunkedInput(bytes: bytes, chunkSize: chunk)
        var actual: [UInt8] = []
        var keys: [Range<Int>] = []
        _ = try fast.scan { scanner in
            actual.removeAll()
            return try scanner.readCompactValue(into: &actual, keys: &keys)
        }
        #expect(
            String(decoding: actual, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
            sourceLocation: sourceLocation)
        #expect(fast.offset == tree.offset, sourceLocation: sourceLocation)
        try tree.expectEnd()
        try fast.expectEnd()
    }

    @Test(arguments: ["general", "thread", "synthetic-2.47"]) func fixturesCompactAlike(name: String) throws {
        let bytes = try ExportHarness.bytes(try ExportHarness.fixture(name))
        try Self.compare(bytes)
        try Self.compare(bytes, chunk: 4_096)
    }

    @Test func escapesAndNonASCIIAreRewrittenInDCEsEscaping() throws {
        let samples = [
            #"{"a":"plain text","b":"caf\u00e9 \/ \"q\" \\ \n\t","c":"😀 é \u2028 \uD83D\uDE00 \uD800x"}"#,
            #"[ 1, -2.5e+3, true, false, null, { }, [ ], "", {"k" : [ "v" ] } ]"#,
            "{\"emoji\":\"\u{1F525}\",\"nbsp\":\"a\u{00A0}b\",\"bom\":\"\u{FEFF}\"}",
        ]
        for sample in samples {
            // Every chunk size up to the sample's length: each token is cut somewhere.
            for chunk in [nil] + Array(1...sample.utf8.count) { try Self.compare(Array(sample.utf8), chunk: chunk) }
        }
    }

    @Test func numbersKeepTheirExactText() throws {
        var input = JSONChunkedInput(bytes: Array(#"{"n": 12345678901234567890123, "f": 1.50, "e": -1E+3}"#.utf8))
        let value = try input.readValue()
        #expect(DCEJSONEncoding.compact(value) == Array(#"{"n":12345678901234567890123,"f":1.50,"e":-1E+3}"#.utf8))
        #expect(value["n"]?.integer == nil)
        #expect(value["e"]?.double == -1000)
    }

    @Test func topLevelIdAndTimestampAreReported() throws {
        var input = JSONChunkedInput(
            bytes: Array(#"{"id":"42","timestamp":"2020-01-01T00:00:00+00:00","x":{"id":"7"}}"#.utf8))
        var out: [UInt8] = []
        var keys: [Range<Int>] = []
        let facts = try input.scan { try $0.readCompactValue(into: &out, keys: &keys) }
        #expect(facts.isObject)
        #expect(facts.id?.uint64 == 42)
        #expect(facts.timestamp == "2020-01-01T00:00:00+00:00")
    }

    /// The top-level `author` object's bytes are reported where they were written (after what `out` held), not an
    /// `author` nested deeper (an embed's) nor one that is not an object.
    @Test func topLevelAuthorIsReportedWhereItWasWritten() throws {
        var out = Array("kept".utf8)
        var keys: [Range<Int>] = []
        var input = JSONChunkedInput(
            bytes: Array(
                #"{"embeds":[{"author":{"name":"e"}}], "author" : { "id" : "7", "name" : "A" },"x":1}"#.utf8))
        let facts = try input.scan { try $0.readCompactValue(into: &out, keys: &keys) }
        let author = try #require(facts.author)
        #expect(String(decoding: out[author], as: UTF8.self) == #"{"id":"7","name":"A"}"#)
        var notAnObject = JSONChunkedInput(bytes: Array(#"{"author":"7"}"#.utf8))
        #expect(try notAnObject.scan { try $0.readCompactValue(into: &out, keys: &keys) }.author == nil)
    }

    /// The value is appended after what `out` held (the facts read from it alone), and a refused value adds nothing.
    @Test func theValueIsAppendedToWhatOutHeld() throws {
        var out = Array("kept".utf8)
        var keys: [Range<Int>] = []
        var input = JSONChunkedInput(bytes: Array(#"{ "id": "42", "timestamp": "t" }"#.utf8))
        let facts = try input.scan { try $0.readCompactValue(into: &out, keys: &keys) }
        #expect(String(decoding: out, as: UTF8.self) == #"kept{"id":"42","timestamp":"t"}"#)
        #expect(facts.id?.uint64 == 42)
        #expect(facts.timestamp == "t")
        var refused = JSONChunkedInput(bytes: Array(#"{"id": "43", "x": tru}"#.utf8))
        #expect(throws: ExportError.self) { _ = try refused.scan { try $0.readCompactValue(into: &out, keys: &keys) } }
        #expect(String(decoding: out, as: UTF8.self) == #"kept{"id":"42","timestamp":"t"}"#)
    }

    @Test func aRepeatedKeyIsRefusedAtTheSameOffset() throws {
        let bytes = Array(#"{"a":{"b":1,"b":2}}"#.utf8)
        var out: [UInt8] = []
        var keys: [Range<Int>] = []
        var fast = JSONChunkedInput(bytes: bytes, chunkSize: 3)
        var tree = JSONChunkedInput(bytes: bytes)
        let fastError = #expect(throws: ExportError.self) {
            _ = try fast.scan { try $0.readCompactValue(into: &out, keys: &keys) }
        }
        let treeError = #expect(throws: ExportError.self) { _ = try tree.readValue() }
        #expect(fastError?.message == treeError?.message)
        #expect(treeError?.message == #"malformed JSON at byte 12: the key "b" appears twice in one object"#)
    }

    /// Keys of one length with the same first and last byte (the same bit of the object's key summary) are told
    /// apart by their bytes: distinct ones are read, a repeated one refused at its offset.
    @Test func keysAlikeInLengthAndEndsAreComparedWhole() throws {
        try Self.compare(Array(#"{"axb": 1, "ayb": {"axb": 2, "ayb": 3, "a\u007Ab": 4}, "azb": [ {"axb": 4} ]}"#.utf8))
        var fast = JSONChunkedInput(bytes: Array(#"{"axb": 1, "ayb": 2, "axb": 3}"#.utf8))
        var out: [UInt8] = []
        var keys: [Range<Int>] = []
        let error = #expect(throws: ExportError.self) {
            _ = try fast.scan { try $0.readCompactValue(into: &out, keys: &keys) }
        }
        #expect(error?.message == #"malformed JSON at byte 21: the key "axb" appears twice in one object"#)
    }

    /// Malformed input, whole or in small chunks: the same message at the same offset from the start.
    @Test(arguments: [
        (#"{"a": [1, 2,, 3]}"#, "malformed JSON at byte 12: unexpected ','"),
        (#"{"a": "x\qy"}"#, #"malformed JSON at byte 8: invalid escape '\q'"#),
        (#"{"a": "x\u12G4"}"#, #"malformed JSON at byte 8: invalid \u escape"#),
        ("{\"a\": \"x\u{01}\"}", "malformed JSON at byte 8: control character in a string"),
        (#"{"a": tru}"#, "malformed JSON at byte 6: invalid literal"),
        (#"{"a": -}"#, "malformed JSON at byte 6: invalid number"),
        (#"{"a": 1 "b": 2}"#, "malformed JSON at byte 8: expected '}', found '\"'"),
        (#"{"a": "unterminated"#, "malformed JSON at byte 6: unterminated string"),
        (#"{"a": [1, 2"#, "malformed JSON at byte 11: expected ']', found the end"),
        (#"{"a": 12"#, "malformed JSON at byte 8: expected '}', found the end"),
        (#"{"a": 0123}"#, "malformed JSON at byte 6: leading zero in a number"),
        (#"{"a": [1, -00.5]}"#, "malformed JSON at byte 10: leading zero in a number"),
        (#"{"a": 1.5, "b": 007e1}"#, "malformed JSON at byte 16: leading zero in a number"),
    ])
    func malformedInputNamesTheOffset(text: String, message: String) throws {
        for chunk in [nil, 1, 2, 5] {
            var tree = JSONChunkedInput(bytes: Array(text.utf8), chunkSize: chunk)
            let error = #expect(throws: ExportError.self) { _ = try tree.readValue() }
            #expect(error?.message == message, "chunk \(String(describing: chunk))")
            var fast = JSONChunkedInput(bytes: Array(text.utf8), chunkSize: chunk)
            var out: [UInt8] = []
            var keys: [Range<Int>] = []
            let fastError = #expect(throws: ExportError.self) {
                _ = try fast.scan { try $0.readCompactValue(into: &out, keys: &keys) }
            }
            #expect(fastError?.message == message, "chunk \(String(describing: chunk))")
        }
    }

    @Test func zeroItselfIsANumber() throws {
        let sample = #"[0, -0, 0.5, -0.0e1, 0E+2, 10, 100.001]"#
        for chunk in [nil] + Array(1...sample.utf8.count) { try Self.compare(Array(sample.utf8), chunk: chunk) }
    }

    /// Objects past the size where keys are compared one by one (`linearKeySearchLimit`) refuse a repeated key at
    /// the same offset, and read a large object whole.
    @Test(arguments: [3, JSONScanner.linearKeySearchLimit - 1, JSONScanner.linearKeySearchLimit, 20_000])
    func aRepeatedKeyIsFoundInObjectsOfAnySize(keyCount: Int) throws {
        let members = (0..<keyCount).map { #""k\#($0)":\#($0)"# }
        let distinct = Array(#"{"o":{\#(members.joined(separator: ","))}}"#.utf8)
        try Self.compare(distinct)
        let repeatedAt = distinct.count - 1
        let repeated = Array(distinct[..<(repeatedAt - 1)]) + Array(#","k1":0}}"#.utf8)
        let message = #"malformed JSON at byte \#(repeatedAt): the key "k1" appears twice in one object"#
        for chunk in [nil, 7] {
            var tree = JSONChunkedInput(bytes: repeated, chunkSize: chunk)
            let treeError = #expect(throws: ExportError.self) { _ = try tree.readValue() }
            #expect(treeError?.message == message)
            var fast = JSONChunkedInput(bytes: repeated, chunkSize: chunk)
            var out: [UInt8] = []
            var keys: [Range<Int>] = []
            let fastError = #expect(throws: ExportError.self) {
                _ = try fast.scan { try $0.readCompactValue(into: &out, keys: &keys) }
            }
            #expect(fastError?.message == message)
        }
    }

    /// A byte order mark is skipped whatever the chunk size, also when a chunk holds fewer than its three bytes.
    @Test func aByteOrderMarkIsSkippedInChunksOfAnySize() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"a":[1,"x"]}"#.utf8)
        for chunk in [nil, 1, 2, 3, 4] {
            var input = JSONChunkedInput(bytes: bytes, chunkSize: chunk)
            #expect(input.offset == 3, "chunk \(String(describing: chunk))")
            #expect(DCEJSONEncoding.compact(try input.readValue()) == Array(bytes[3...]))
            try input.expectEnd()
            try Self.compare(bytes, chunk: chunk)
        }
    }

    /// A read that fails is reported as a failed read with the system's reason, never as a truncated document.
    @Test func aFailedReadIsNotATruncatedDocument() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("skald-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // read(2) on a folder's descriptor fails with EISDIR: the input's first read fails.
        let handle = try #require(FileHandle(forReadingAtPath: folder.path))
        defer { try? handle.close() }
        var input = JSONChunkedInput(handle: handle, chunkSize: 4)
        let error = #expect(throws: ExportError.self) { _ = try input.readValue() }
        #expect(error?.message == "cannot read the file at byte 0: it is a folder")
        #expect(error?.isMalformedJSON == false)
        let atEnd = #expect(throws: ExportError.self) { try input.expectEnd() }
        #expect(atEnd?.message == error?.message)
    }

    @Test func invalidUTF8IsRefused() throws {
        var input = JSONChunkedInput(bytes: Array(#"{"a": "x"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8))
        let error = #expect(throws: ExportError.self) { _ = try input.readValue() }
        #expect(error?.message == "malformed JSON at byte 6: string is not valid UTF-8")
    }
}
