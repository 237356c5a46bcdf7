import Export
import Foundation
import Testing

/// The import's tree-free reader writes exactly what the tree reader and DCE's compact encoding write.
@Suite struct JSONCompactReaderTests {
    /// `readCompactValue` against `compact(readValue())` on the same bytes, read in chunks of `chunk` bytes.
    static func compare(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
        var tree = JSONStreamReader(bytes: bytes)
        let expected = DCEJSONEncoding.compact(try tree.readValue())
        var fast = JSONStreamReader(bytes: bytes)
        var actual: [UInt8] = []
        _ = try fast.readCompactValue(into: &actual)
        #expect(
            String(decoding: actual, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
            sourceLocation: sourceLocation)
        #expect(fast.offset == tree.offset, sourceLocation: sourceLocation)
    }

    @Test(arguments: ["general", "thread", "synthetic-2.47"]) func fixturesCompactAlike(name: String) throws {
        try Self.compare(try ExportHarness.bytes(try ExportHarness.fixture(name)))
    }

    @Test func escapesAndNonASCIIAreRewrittenInDCEsEscaping() throws {
        let samples = [
            #"{"a":"plain text","b":"caf\u00e9 \/ \"q\" \\ \n\t","c":"😀 é \u2028 \uD83D\uDE00 \uD800x"}"#,
            #"[ 1, -2.5e+3, true, false, null, { }, [ ], "", {"k" : [ "v" ] } ]"#,
            "{\"emoji\":\"\u{1F525}\",\"nbsp\":\"a\u{00A0}b\",\"bom\":\"\u{FEFF}\"}",
        ]
        for sample in samples { try Self.compare(Array(sample.utf8)) }
    }

    @Test func topLevelIdAndTimestampAreReported() throws {
        var reader = JSONStreamReader(
            bytes: Array(#"{"id":"42","timestamp":"2020-01-01T00:00:00+00:00","x":{"id":"7"}}"#.utf8))
        var out: [UInt8] = []
        let facts = try reader.readCompactValue(into: &out)
        #expect(facts.isObject)
        #expect(facts.id?.uint64 == 42)
        #expect(facts.timestamp == "2020-01-01T00:00:00+00:00")
    }

    @Test func aRepeatedKeyIsRefusedAtTheSameOffset() throws {
        let bytes = Array(#"{"a":{"b":1,"b":2}}"#.utf8)
        var out: [UInt8] = []
        var fast = JSONStreamReader(bytes: bytes)
        var tree = JSONStreamReader(bytes: bytes)
        let fastError = #expect(throws: ExportError.self) { _ = try fast.readCompactValue(into: &out) }
        let treeError = #expect(throws: ExportError.self) { _ = try tree.readValue() }
        #expect(fastError?.message == treeError?.message)
    }
}
