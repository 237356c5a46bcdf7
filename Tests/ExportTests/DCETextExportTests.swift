import ArchiveStore
import DiscordModels
import Export
import Foundation
import Testing

/// CSV and plain text as DiscordChatExporter 2.47 writes them (`CsvMessageWriter`, `PlainTextMessageWriter`), for
/// every message shape of the 2.47 fixtures: each file imported, exported as CSV and as text, and compared byte for
/// byte with what `scripts/make_dce_text.py` (written from DCE's writers) makes of the same JSON
/// (`Fixtures/text/`). Before, text dropped the empty content line, wrote reactions of one with `(1)` and a blank
/// line too many, listed embeds without author, thumbnail, images and footer (title before URL), forwards without
/// `Originally sent:` and their files, and counts without thousands separators.
@Suite("DCE 2.47 CSV and plain text")
struct DCETextExportTests {
    static func expected(_ name: String) throws -> [UInt8] {
        let folder = try #require(Bundle.module.url(forResource: "text", withExtension: nil, subdirectory: "Fixtures"))
        return try ExportHarness.bytes(folder.path + "/" + name)
    }

    @Test(arguments: ["every-shape-2.47", "thread-2.47", "forum-post-2.47", "dm-2.47", "group-dm-2.47"])
    func csvAndTextAreDCEs(name: String) async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let source = try DCEShapesRoundTripTests.shape(name + ".json")
            for (format, ext) in [(ExportFormat.csv, "csv"), (.txt, "txt")] {
                var options = try DCEShapesRoundTripTests.options(like: source)
                options.format = format
                try await DCEShapesRoundTripTests.expectRoundTrip(
                    source, options: options, expected: try Self.expected(name + "." + ext), in: dir)
            }
        }
    }

    /// DCE writes the system's line ending: CRLF on Windows (`--newline crlf`), for every line of both formats.
    @Test func crlfEndsEveryLine() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let source = try DCEShapesRoundTripTests.shape("dm-2.47.json")
            for (format, ext) in [(ExportFormat.csv, "csv"), (.txt, "txt")] {
                var options = try DCEShapesRoundTripTests.options(like: source)
                options.format = format
                options.newline = "\r\n"
                let lf = String(decoding: try Self.expected("dm-2.47." + ext), as: UTF8.self)
                let crlf = Array(lf.replacingOccurrences(of: "\n", with: "\r\n").utf8)
                try await DCEShapesRoundTripTests.expectRoundTrip(source, options: options, expected: crlf, in: dir)
            }
        }
    }
}
