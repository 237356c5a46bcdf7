import ArchiveStore
import DiscordModels
import Export
import Foundation
import SQLiteStore
import Testing

@Suite("DCE import → export")
struct ImportExportRoundTripTests {
    @Test func synthetic247RoundTripsByteForByte() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            let source = try ExportHarness.fixture("synthetic-2.47")
            let (count, result) = try await DCEImporter(store: store).importFile(source)
            #expect(count == 5)
            #expect(result.inserted == 5)
            let files = try await DCEExporter(store: store, options: ExportHarness.utcOptions())
                .exportChannels([Snowflake(555_691_597_103_104_002)], to: dir + "/out")
            #expect(files.count == 1)
            let file = try #require(files.first)
            #expect(
                (file.path as NSString).lastPathComponent
                    == "Example Server - Text Channels - general [555691597103104002].json")
            let expected = try ExportHarness.bytes(source)
            let actual = try ExportHarness.bytes(file.path)
            let firstDifference = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            #expect(
                actual == expected, "first difference at byte \(firstDifference ?? min(actual.count, expected.count))")
            #expect(file.messageCount == 5)
        }
    }

    /// A direct-message export re-exported as DCE 2.47 writes it, whichever version wrote it: the pseudo-guild is
    /// id `0` (before 2.26 `@me`, which `export --guild 0` did not find and the re-export kept), and types older
    /// versions wrote as digit strings (`"19"` for a reply, `"1"` for a DM channel) are 2.47's names. The 2.47 file
    /// itself comes back byte for byte.
    @Test func directMessagesComeBackAsDCE247WritesThem() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let original = String(
                decoding: try ExportHarness.bytes(try ExportHarness.fixture("synthetic-2.47")), as: UTF8.self)
            let guildStart = try #require(original.range(of: "  \"guild\": {"))
            let guildEnd = try #require(original.range(of: "  },\n", range: guildStart.upperBound..<original.endIndex))
            let current = original.replacingCharacters(
                in: guildStart.lowerBound..<guildEnd.upperBound,
                with: """
                      "guild": {
                        "id": "0",
                        "name": "Direct Messages",
                        "iconUrl": "https://cdn.discordapp.com/embed/avatars/0.png"
                      },

                    """
            )
            .replacingOccurrences(of: "\"type\": \"GuildTextChat\"", with: "\"type\": \"DirectTextChat\"")
            .replacingOccurrences(of: "\"categoryId\": \"555691597103104001\"", with: "\"categoryId\": null")
            .replacingOccurrences(of: "\"category\": \"Text Channels\"", with: "\"category\": null")
            let older = current.replacingOccurrences(
                of: "\"id\": \"0\",\n    \"name\": \"Direct", with: "\"id\": \"@me\",\n    \"name\": \"Direct"
            )
            .replacingOccurrences(of: "\"type\": \"Reply\"", with: "\"type\": \"19\"")
            .replacingOccurrences(of: "\"type\": \"DirectTextChat\"", with: "\"type\": \"1\"")
            #expect(older.contains("\"@me\"") && older.contains("\"19\"") && older != current)
            for (name, text) in [("current", current), ("older", older)] {
                let store = try ExportHarness.store(in: dir + "/" + name)
                let source = dir + "/\(name).json"
                try Data(text.utf8).write(to: URL(fileURLWithPath: source))
                try await DCEImporter(store: store).importFile(source)
                let files = try await DCEExporter(store: store, options: ExportHarness.utcOptions())
                    .exportGuild(Snowflake(0), to: dir + "/out-" + name)
                let file = try #require(files.first, "export --guild 0 found no channel of the \(name) export")
                let actual = String(decoding: try ExportHarness.bytes(file.path), as: UTF8.self)
                let firstDifference = zip(actual.utf8, current.utf8).enumerated().first { $0.element.0 != $0.element.1 }
                #expect(actual == current, "\(name): first difference at byte \(firstDifference?.offset ?? -1)")
            }
        }
    }

    @Test(arguments: ["general", "thread"])
    func dce236SamplesKeepEveryKey(name: String) async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            let source = try ExportHarness.fixture(name)
            try await DCEImporter(store: store).importFile(source)
            let original = try JSONValue.parse(ExportHarness.bytes(source))
            let channelId = try #require(original["channel"]?["id"]?.uint64)
            let files = try await DCEExporter(store: store, options: ExportHarness.utcOptions())
                .exportChannels([Snowflake(channelId)], to: dir + "/out")
            let exported = try JSONValue.parse(ExportHarness.bytes(try #require(files.first).path))
            // messageCount is the file's own count; the sample's may disagree after hand editing (§18.14).
            var expected = original
            if case .object(let members) = original {
                expected = .object(members.filter { $0.key != "messageCount" })
            }
            let problems = ExportHarness.keyDifferences(expected: expected, actual: exported)
            #expect(problems.isEmpty, "\(problems.prefix(10))")
            let originalIds = original["messages"]?.elements.compactMap { $0["id"]?.string } ?? []
            let exportedIds = exported["messages"]?.elements.compactMap { $0["id"]?.string } ?? []
            #expect(exportedIds == originalIds.sorted { UInt64($0)! < UInt64($1)! })
            #expect(exported["messageCount"]?.int == exportedIds.count)
        }
    }

    @Test func importingTheSameFileTwiceAddsNothingAndRemembersSources() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            let source = try ExportHarness.fixture("general")
            let first = try await DCEImporter(store: store).importFile(source)
            // The same content under another name: a second source, nothing new.
            let copy = dir + "/copy.json"
            try FileManager.default.copyItem(atPath: source, toPath: copy)
            let second = try await DCEImporter(store: store).importFile(copy)
            let again = try await DCEImporter(store: store).importFile(source)
            #expect(first.result.inserted == first.messages)
            #expect(second.result.inserted == 0 && second.result.updated == 0)
            #expect(again.result.unchanged == again.messages)
            let messages = try await store.importedMessages(
                in: Snowflake(1_003_633_697_095_811_072), after: nil, limit: 1000)
            #expect(messages.count == 35)
            let sources = try await store.messageSources(of: messages[0].id)
            #expect(Set(sources) == [source, copy])
        }
    }

    @Test func malformedFileIsReportedWithPositionAndNothingIsStored() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            var bytes = try ExportHarness.bytes(try ExportHarness.fixture("general"))
            // Break the file near the end, after many messages were already read and staged.
            let cut = bytes.count - 200
            bytes[cut] = UInt8(ascii: "{")
            let broken = dir + "/broken.json"
            try Data(bytes).write(to: URL(fileURLWithPath: broken))
            var importer = DCEImporter(store: store)
            importer.batchSize = 5
            do {
                try await importer.importFile(broken)
                Issue.record("a malformed file was imported")
            } catch let error as ExportError {
                #expect(error.isMalformedJSON)
                #expect(error.message.contains(broken))
                #expect(
                    error.message.contains("byte \(cut)") || error.message.contains("byte \(cut + 1)"),
                    "\(error.message)")
            }
            #expect(try await store.importedChannels().isEmpty)
            let messages = try await store.importedMessages(
                in: Snowflake(1_003_633_697_095_811_072), after: nil, limit: 1000)
            #expect(messages.isEmpty)
            // A truncated file too.
            let truncated = dir + "/truncated.json"
            try Data(try ExportHarness.bytes(try ExportHarness.fixture("thread")).prefix(3000))
                .write(to: URL(fileURLWithPath: truncated))
            let outcomes = try await DCEImporter(store: store).importPaths([truncated])
            #expect(outcomes.first?.error?.contains("byte") == true)
            #expect(try await store.importedChannels().isEmpty)
        }
    }

    @Test func compactAndPrettyFilesImportTheSame() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let source = try ExportHarness.fixture("thread")
            let node = try JSONValue.parse(ExportHarness.bytes(source))
            let compact = dir + "/compact.json"
            // A BOM, CRLF-free compact text and a final newline, as hand-edited files have.
            try Data([0xEF, 0xBB, 0xBF] + DCEJSONEncoding.compact(node) + [0x0A]).write(
                to: URL(fileURLWithPath: compact))
            let a = try ExportHarness.store(in: dir, name: "a.sqlite")
            let b = try ExportHarness.store(in: dir, name: "b.sqlite")
            try await DCEImporter(store: a).importFile(source)
            try await DCEImporter(store: b).importFile(compact)
            let channel = Snowflake<Channel>(try #require(node["channel"]?["id"]?.uint64))
            let fromA = try await DCEExporter(store: a, options: ExportHarness.utcOptions()).exportChannels(
                [channel], to: dir + "/a")
            let fromB = try await DCEExporter(store: b, options: ExportHarness.utcOptions()).exportChannels(
                [channel], to: dir + "/b")
            #expect(try ExportHarness.bytes(fromA[0].path) == ExportHarness.bytes(fromB[0].path))
        }
    }
}
