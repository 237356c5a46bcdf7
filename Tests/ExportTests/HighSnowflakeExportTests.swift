import ArchiveStore
import DiscordModels
import DiscordSimulator
import Export
import Foundation
import SQLiteStore
import TestSupport
import Testing

/// Export of channels whose messages run from below 2^63 to above it (ids as the spec allows them): every message
/// once, in Discord's (unsigned) order, each id written as its unsigned decimal; `--after`/`--before` at the
/// boundary; the export imported and exported again gives the same bytes. Before, the export read from -1 on and
/// stopped past Int64.max: the messages above 2^63 were left out without a word.
@Suite("Export of ids at and above 2^63", .serialized)
struct HighSnowflakeExportTests {
    static let twoTo63 = UInt64(1) << 63

    /// The ids of an exported DCE JSON file's messages, as written.
    static func exportedIDs(_ path: String) throws -> [String] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        let messages = try #require((object as? [String: Any])?["messages"] as? [[String: Any]])
        return messages.compactMap { $0["id"] as? String }
    }

    @Test func aChannelAcross2To63ExportsEveryMessageInOrder() async throws {
        var config = SimulatorConfiguration.testWorld(seed: 3, channels: 4, messages: 300, threads: 6)
        config.historyEndMilliseconds = SimulatorConfiguration.historyEndStraddling2To63
        try await SimulatorServer.withRunning(config) { sim in
            try await ExportHarness.withTemporaryDirectory { dir in
                let store = try ExportHarness.store(in: dir)
                try await SimulatorRoundTripTests.archive(sim, into: store, everything: true)
                let channel = try #require(sim.messageChannelIDs(guild: sim.guildIDs[0]).first)
                let truth = await sim.truthMessageIDs(channel: channel).map(\.rawValue)
                #expect(truth.contains { $0 >= Self.twoTo63 } && truth.contains { $0 < Self.twoTo63 })

                let files = try await DCEExporter(store: store, options: ExportHarness.utcOptions())
                    .exportChannels([channel], to: dir + "/all")
                let file = try #require(files.first)
                #expect(try Self.exportedIDs(file.path) == truth.map(String.init))
                // The largest id is written as its unsigned decimal, never as the column's negative number.
                let text = try String(contentsOfFile: file.path, encoding: .utf8)
                #expect(text.contains("\"id\": \"\(truth.last!)\""))
                #expect(!text.contains("\": \"-"))

                // --after the largest id below 2^63: exactly the ids above; --before 2^63: exactly those below.
                var after = ExportHarness.utcOptions()
                after.after = UInt64(Int64.max)
                let above = try await DCEExporter(store: store, options: after).exportChannels(
                    [channel], to: dir + "/a")
                #expect(
                    try Self.exportedIDs(try #require(above.first).path)
                        == truth.filter { $0 >= Self.twoTo63 }.map(String.init))
                var before = ExportHarness.utcOptions()
                before.before = Self.twoTo63
                let below = try await DCEExporter(store: store, options: before).exportChannels(
                    [channel], to: dir + "/b")
                #expect(
                    try Self.exportedIDs(try #require(below.first).path)
                        == truth.filter { $0 < Self.twoTo63 }.map(String.init))

                // The export imported into an empty archive and exported again: the same bytes.
                let empty = try ExportHarness.store(in: dir, name: "imported.sqlite")
                let outcomes = try await DCEImporter(store: empty).importPaths([dir + "/all"])
                #expect(outcomes.allSatisfy { $0.error == nil })
                let again = try await DCEExporter(store: empty, options: ExportHarness.utcOptions())
                    .exportChannels([channel], to: dir + "/again")
                #expect(again.map(\.sha256) == files.map(\.sha256))
            }
        }
    }
}
