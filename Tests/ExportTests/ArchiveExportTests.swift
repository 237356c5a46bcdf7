import ArchiveStore
import DiscordModels
import Export
import Foundation
import SQLiteStore
import Testing

@Suite("Export from archived Discord JSON")
struct ArchiveExportTests {
    /// The renderer reproduces the hand-made 2.47 file from the Discord data it describes.
    @Test func discordJSONRendersTheSynthetic247FileByteForByte() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            try await SyntheticWorld.populate(store)
            let files = try await DCEExporter(store: store, options: ExportHarness.utcOptions())
                .exportChannels([Snowflake(SyntheticWorld.channelId)], to: dir + "/out")
            let actual = try ExportHarness.bytes(try #require(files.first).path)
            let expected = try ExportHarness.bytes(try ExportHarness.fixture("synthetic-2.47"))
            if actual != expected {
                let problems = ExportHarness.keyDifferences(
                    expected: try JSONValue.parse(expected), actual: try JSONValue.parse(actual))
                Issue.record("differs: \(problems.prefix(12))")
            }
            #expect(actual == expected)
        }
    }

    /// A category's id exports the channels inside it, as DCE's `export -c` does (before: one empty document named
    /// after the category); plain and windowed exports alike.
    @Test func aCategoryExportsItsChannels() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            try await SyntheticWorld.populate(store)
            let category: UInt64 = 555_691_597_103_104_001
            let files = try await DCEExporter(store: store, options: ExportHarness.utcOptions())
                .exportChannels([Snowflake(category), Snowflake(SyntheticWorld.channelId)], to: dir + "/out")
            #expect(files.map(\.channelId) == [String(SyntheticWorld.channelId)])
            #expect(files.first?.messageCount ?? 0 > 0)
            let runs = try await WindowedExporter(store: store, options: ExportHarness.utcOptions(), window: .day)
                .export(channels: [category], to: dir + "/windows")
            #expect(runs.map(\.channelId) == [SyntheticWorld.channelId])
        }
    }

    /// Archive → export → import into an empty archive → export again: the same bytes.
    @Test func exportImportExportIsByteIdentical() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            try await SyntheticWorld.populate(store)
            var options = ExportHarness.utcOptions()
            options.partition = .messages(2)
            let first = try await DCEExporter(store: store, options: options)
                .exportChannels([Snowflake(SyntheticWorld.channelId)], to: dir + "/first")
            #expect(first.map(\.messageCount) == [2, 2, 1])
            let empty = try ExportHarness.store(in: dir, name: "empty.sqlite")
            let outcomes = try await DCEImporter(store: empty).importPaths([dir + "/first"])
            #expect(outcomes.allSatisfy { $0.error == nil })
            let second = try await DCEExporter(store: empty, options: options)
                .exportChannels([Snowflake(SyntheticWorld.channelId)], to: dir + "/second")
            #expect(second.count == first.count)
            for (a, b) in zip(first, second) {
                #expect((a.path as NSString).lastPathComponent == (b.path as NSString).lastPathComponent)
                #expect(try ExportHarness.bytes(a.path) == ExportHarness.bytes(b.path))
                #expect(a.sha256 == b.sha256)
            }
        }
    }

    @Test func localTimeZoneAndMarkdownOff() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            try await SyntheticWorld.populate(store)
            var options = ExportHarness.utcOptions()
            options.timeZone = DCETimeZone(zone: TimeZone(identifier: "America/New_York"))
            options.markdown = false
            let files = try await DCEExporter(store: store, options: options)
                .exportChannels([Snowflake(SyntheticWorld.channelId)], to: dir)
            let node = try JSONValue.parse(ExportHarness.bytes(files[0].path))
            let second = try #require(node["messages"]?.elements[1])
            #expect(second["timestamp"]?.string == "2026-02-27T13:01:10.25-05:00")
            #expect(second["content"]?.string?.hasPrefix("Welcome <@1477001084928000003>!") == true)
            #expect(node["exportedAt"]?.string == "2026-03-01T04:15:42.1234567-05:00")
        }
    }

    @Test func escapingFollowsTheRelaxedEncoder() {
        var out: [UInt8] = []
        DCEJSONEncoding.appendString(
            "a\"\\\u{8}\t\n\u{C}\r\u{1}\u{7F}\u{A0} \u{2028}\u{FEFF}<>&'+/`é❤️😀\u{200D}\u{E000}", to: &out)
        #expect(
            String(decoding: out, as: UTF8.self)
                == "\"a\\\"\\\\\\b\\t\\n\\f\\r\\u0001\\u007F\\u00A0 \\u2028\\uFEFF<>&'+/`é❤️\\uD83D\\uDE00\u{200D}\\uE000\""
        )
    }

    @Test func timestampsTrimTheFractionAndNeverWriteZ() {
        #expect(
            DCETime.parse("2023-01-06T14:22:25.250000+00:00")?.formatted(offset: 0) == "2023-01-06T14:22:25.25+00:00")
        #expect(DCETime.parse("2021-07-14T21:00:00Z")?.formatted(offset: 0) == "2021-07-14T21:00:00+00:00")
        #expect(
            DCETime.parse("2021-07-14T21:00:00.1234567+02:00")?.formatted(offset: 3600)
                == "2021-07-14T20:00:00.1234567+01:00")
        #expect(DCETime(snowflake: 1_477_002_364_706_619_403).formatted(offset: 0) == "2026-02-27T18:00:05.123+00:00")
    }
}
