import ArchiveStore
import DiscordModels
import Export
import Foundation
import Testing

/// Incremental DCE exports imported in any order: `export` shows the later state of every message, and importing an
/// older export after a newer one changes nothing it shows.
@Suite("DCE imports merged by later state")
struct ImportMergeExportTests {
    static let channel = Snowflake<Channel>(555_691_597_103_104_002)
    static let message = Snowflake<Message>(1_477_002_364_706_619_403)

    /// The synthetic 2.47 export with its first message edited (`edited`: DCE's timestamp text, `nil` unedited).
    static func file(in dir: String, name: String, edited: String?, content: String) throws -> String {
        var text = String(decoding: try ExportHarness.bytes(try ExportHarness.fixture("synthetic-2.47")), as: UTF8.self)
        if let edited {
            let original = #""timestampEdited": null,"#
            let range = try #require(text.range(of: original))
            text.replaceSubrange(range, with: #""timestampEdited": "\#(edited)","#)
        }
        let range = try #require(text.range(of: #""content": "Joined the server.","#))
        text.replaceSubrange(range, with: #""content": "\#(content)","#)
        let path = dir + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The channel's export as `export` writes it.
    static func exported(_ store: any ArchiveStore, _ dir: String) async throws -> [UInt8] {
        let out = dir + "/out-" + UUID().uuidString
        let files = try await DCEExporter(store: store, options: ExportHarness.utcOptions())
            .exportChannels([channel], to: out)
        return try ExportHarness.bytes(try #require(files.first).path)
    }

    @Test(arguments: [false, true]) func exportShowsTheLaterStateInEitherOrder(newerFirst: Bool) async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let unedited = try Self.file(in: dir, name: "a.json", edited: nil, content: "Joined the server.")
            let edited = try Self.file(
                in: dir, name: "b.json", edited: "2026-02-28T10:00:00+00:00", content: "Joined the server!")
            let edited2 = try Self.file(
                in: dir, name: "c.json", edited: "2026-02-28T09:30:00-02:00", content: "Joined the server!!")
            let store = try ExportHarness.store(in: dir)
            let importer = DCEImporter(store: store)
            let order = newerFirst ? [edited2, edited, unedited] : [unedited, edited, edited2]
            var shown: [[UInt8]] = []
            for path in order {
                try await importer.importFile(path)
                shown.append(try await Self.exported(store, dir))
            }
            let expected = try ExportHarness.bytes(edited2)
            #expect(shown.last == expected)
            if newerFirst {
                // Each older file changed nothing export shows.
                #expect(shown.allSatisfy { $0 == expected })
            }
            let revisions = try await store.importedRevisions(of: Self.message, in: Self.channel)
            #expect(revisions.count == 2)
            let contents = revisions.compactMap { try? JSONValue.parse($0)["content"]?.string }
            #expect(Set(contents) == ["Joined the server.", "Joined the server!"])
            #expect(try await store.stats().messages == 5)
            #expect(try await store.stats().importedOnlyMessages == 5)
        }
    }
}
