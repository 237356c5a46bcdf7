import ArchiveStore
import DiscordModels
import Export
import Foundation
import Testing

/// Every shape DCE's JSON export takes that the older fixtures do not (`Fixtures/shapes/`, made by
/// `scripts/make_dce_shapes.py` from the spec): imported, then exported again. A 2.47 file comes back byte for byte
/// when exported with the settings DCE used (`--utc` or its zone, its newline, its `--partition`); an older one
/// keeps every key and value, with what 2.47 writes differently named as 2.47 names it.
@Suite("DCE shapes: import → export")
struct DCEShapesRoundTripTests {
    static func shape(_ name: String) throws -> String {
        let folder = try #require(
            Bundle.module.url(forResource: "shapes", withExtension: nil, subdirectory: "Fixtures"))
        return folder.path + "/" + name
    }

    /// Options with `source`'s `exportedAt` (so the header is DCE's; the harness's when it has none) in `zone`.
    static func options(like source: String, zone: DCETimeZone = .utc) throws -> DCEExportOptions {
        var options = ExportHarness.utcOptions()
        options.timeZone = zone
        let object = try JSONValue.parse(ExportHarness.bytes(source))
        if let exportedAt = object["exportedAt"]?.string.flatMap(DCETime.parse) { options.now = { exportedAt } }
        return options
    }

    static func channelId(of source: String) throws -> UInt64 {
        try #require(try JSONValue.parse(ExportHarness.bytes(source))["channel"]?["id"]?.uint64)
    }

    /// Imports `source`, exports its channel with `options` into `out`, and expects `expected`'s bytes.
    static func expectRoundTrip(
        _ source: String, options: DCEExportOptions, expected: [UInt8]? = nil, in dir: String
    ) async throws {
        let store = try ExportHarness.store(in: dir, name: UUID().uuidString + ".sqlite")
        try await DCEImporter(store: store).importFile(source)
        let files = try await DCEExporter(store: store, options: options)
            .exportChannels([Snowflake(try channelId(of: source))], to: dir + "/out-" + UUID().uuidString)
        let file = try #require(files.first)
        let want = try expected ?? ExportHarness.bytes(source)
        let got = try ExportHarness.bytes(file.path)
        let at =
            zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
        let around = String(decoding: got[max(0, at - 80)..<min(got.count, at + 80)], as: UTF8.self)
        #expect(got == want, "\((source as NSString).lastPathComponent): first difference at byte \(at): \(around)")
    }

    @Test(arguments: [
        "every-shape-2.47.json", "high-ids-2.47.json", "thread-2.47.json", "forum-post-2.47.json", "dm-2.47.json",
        "group-dm-2.47.json",
    ])
    func dce247ComesBackByteForByte(name: String) async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let source = try Self.shape(name)
            try await Self.expectRoundTrip(source, options: try Self.options(like: source), in: dir)
        }
    }

    /// Exported without `--utc` in Europe/Berlin across the change to summer time (+01:00, then +02:00).
    @Test func localOffsetsComeBackInTheirZone() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let source = try Self.shape("local-offsets-2.47.json")
            let berlin = DCETimeZone(zone: TimeZone(identifier: "Europe/Berlin"))
            try await Self.expectRoundTrip(source, options: try Self.options(like: source, zone: berlin), in: dir)
        }
    }

    /// The same channel exported in Berlin and with `--utc`: each, imported, is written in the zone the export asks
    /// for, as DCE would have written it there. Before, an imported message kept the offsets of the file it came
    /// from: `--utc` wrote `+01:00`/`+02:00` timestamps.
    @Test func importedTimestampsAreWrittenInTheExportsZone() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let berlinFile = try Self.shape("local-offsets-2.47.json")
            let utcFile = try Self.shape("every-shape-2.47.json")
            let berlin = DCETimeZone(zone: TimeZone(identifier: "Europe/Berlin"))
            try await Self.expectRoundTrip(
                berlinFile, options: try Self.options(like: utcFile), expected: try ExportHarness.bytes(utcFile),
                in: dir)
            try await Self.expectRoundTrip(
                utcFile, options: try Self.options(like: berlinFile, zone: berlin),
                expected: try ExportHarness.bytes(berlinFile), in: dir)
        }
    }

    /// A Windows export (CRLF) written again with CRLF.
    @Test func windowsLineEndingsComeBack() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let source = try Self.shape("crlf-2.47.json")
            #expect(try ExportHarness.bytes(source).contains(0x0D))
            var options = try Self.options(like: source)
            options.newline = "\r\n"
            try await Self.expectRoundTrip(source, options: options, in: dir)
        }
    }

    /// `--partition 3` files of one channel, imported as a folder, exported with `--partition 3`: the same files.
    @Test func partitionsComeBackAsTheSameParts() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let folder = try Self.shape("parts")
            let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            #expect(names.count == 3)
            let store = try ExportHarness.store(in: dir)
            let outcomes = try await DCEImporter(store: store).importPaths([folder])
            #expect(outcomes.allSatisfy { $0.error == nil } && outcomes.map(\.messages).reduce(0, +) == 7)
            var options = try Self.options(like: folder + "/" + names[0])
            options.partition = .messages(3)
            let files = try await DCEExporter(store: store, options: options)
                .exportChannels([Snowflake(try Self.channelId(of: folder + "/" + names[0]))], to: dir + "/out")
            #expect(files.map { ($0.path as NSString).lastPathComponent }.sorted() == names)
            for file in files {
                let original = folder + "/" + (file.path as NSString).lastPathComponent
                #expect(try ExportHarness.bytes(file.path) == ExportHarness.bytes(original), "\(file.path)")
            }
        }
    }

    /// Older versions keep every key and value; what 2.47 writes differently is renamed as 2.47 names it (digit
    /// types, the DM pseudo-guild `@me`).
    @Test(arguments: ["v2.25-dm.json", "v2.33-thread.json", "v2.40.1.json"])
    func olderVersionsKeepEveryKey(name: String) async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let source = try Self.shape(name)
            let store = try ExportHarness.store(in: dir)
            try await DCEImporter(store: store).importFile(source)
            let files = try await DCEExporter(store: store, options: try Self.options(like: source))
                .exportChannels([Snowflake(try Self.channelId(of: source))], to: dir + "/out")
            let exported = try JSONValue.parse(ExportHarness.bytes(try #require(files.first).path))
            let renamed = try String(decoding: ExportHarness.bytes(source), as: UTF8.self)
                .replacingOccurrences(of: "\"type\": \"19\"", with: "\"type\": \"Reply\"")
                .replacingOccurrences(of: "\"type\": \"18\"", with: "\"type\": \"ThreadCreated\"")
                .replacingOccurrences(of: "\"type\": \"11\"", with: "\"type\": \"GuildPublicThread\"")
                .replacingOccurrences(of: "\"id\": \"@me\"", with: "\"id\": \"0\"")
            let problems = ExportHarness.keyDifferences(
                expected: try JSONValue.parse(Data(renamed.utf8)), actual: exported)
            #expect(problems.isEmpty, "\(problems.prefix(10))")
        }
    }
}
