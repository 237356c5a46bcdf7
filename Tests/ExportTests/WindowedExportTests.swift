import ArchiveStore
import DiscordModels
import Export
import Foundation
import SQLiteStore
import Testing

@Suite("Windowed exports, manifest, verify, combine")
struct WindowedExportTests {
    /// Adds `count` messages by bob, `spacing` seconds apart, starting at `start` (unix seconds).
    static func addMessages(_ store: any ArchiveStore, count: Int, start: Int64, spacing: Int64) async throws {
        var messages: [Decoded<Message>] = []
        for index in 0..<count {
            let seconds = start + Int64(index) * spacing
            let id = Snowflake<AnyTag>(clampingUnixMilliseconds: Int64(seconds * 1000)).rawValue + UInt64(index % 4096)
            let timestamp = DCETime(seconds: seconds).formatted(offset: 0)
            messages.append(
                try SyntheticWorld.decoded(
                    SyntheticWorld.message(
                        id: String(id), content: "message \(index) <#\(SyntheticWorld.channelId)>",
                        author: SyntheticWorld.bob, timestamp: timestamp), as: Message.self))
        }
        try await store.storeMessagePage(
            MessagePage(
                channelId: Snowflake(SyntheticWorld.channelId), guildId: Snowflake(SyntheticWorld.guildId),
                messages: messages))
    }

    @Test func backfillIncrementalVerifyAndCombine() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            try await SyntheticWorld.populate(store)
            // 2026-03-01T00:00:00Z onwards, 40 messages 3 hours apart: 5 days.
            try await Self.addMessages(store, count: 40, start: 1_772_323_200, spacing: 10_800)
            var options = ExportHarness.utcOptions()
            options.partition = .messages(5)
            let root = dir + "/out"
            let exporter = WindowedExporter(store: store, options: options, window: .day)
            let first = try await exporter.export(channel: SyntheticWorld.channelId, to: root)
            #expect(first.messages == 45)
            let channelDir = root + "/channel=\(SyntheticWorld.channelId)"
            #expect(FileManager.default.fileExists(atPath: channelDir + "/backfill/dt=2026/02/27/dce-part-00000.json"))
            #expect(FileManager.default.fileExists(atPath: channelDir + "/backfill/dt=2026/03/01/dce-part-00001.json"))
            #expect(FileManager.default.fileExists(atPath: channelDir + "/_state/manifest.json"))
            let verifier = ExportVerifier(root: root, store: store)
            #expect(try await verifier.verify(channel: SyntheticWorld.channelId) == [])

            // A second run writes only what is new, under incremental/run=….
            try await Self.addMessages(store, count: 7, start: 1_772_800_000, spacing: 60)
            var later = options
            let laterTime = DCETime(seconds: 1_772_900_000)
            later.now = { laterTime }
            let second = try await WindowedExporter(store: store, options: later, window: .day)
                .export(channel: SyntheticWorld.channelId, to: root)
            #expect(second.messages == 7)
            #expect(second.files.allSatisfy { $0.path.contains("/incremental/run=20260307-161320/") })
            let third = try await WindowedExporter(store: store, options: later, window: .day)
                .export(channel: SyntheticWorld.channelId, to: root)
            #expect(third.messages == 0)
            #expect(try await verifier.verify(channel: SyntheticWorld.channelId) == [])

            // Combine: every archived message once, ascending.
            let combined = dir + "/all.json"
            let count = try ExportCombiner(root: root).combine(channel: SyntheticWorld.channelId, into: combined)
            #expect(count == 52)
            let node = try JSONValue.parse(ExportHarness.bytes(combined))
            let ids = node["messages"]?.elements.compactMap { $0["id"]?.uint64 } ?? []
            let archived = try await store.messageIDs(in: Snowflake(SyntheticWorld.channelId)).map(\.rawValue)
            #expect(ids == archived)
            #expect(node["messageCount"]?.int == 52)
        }
    }

    @Test func verifyCatchesDeletedEditedAndDoublyOwnedFiles() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            try await SyntheticWorld.populate(store)
            try await Self.addMessages(store, count: 30, start: 1_772_323_200, spacing: 7200)
            var options = ExportHarness.utcOptions()
            options.partition = .messages(4)
            let root = dir + "/out"
            _ = try await WindowedExporter(store: store, options: options, window: .day)
                .export(channel: SyntheticWorld.channelId, to: root)
            let channelDir = root + "/channel=\(SyntheticWorld.channelId)"
            let verifier = ExportVerifier(root: root, store: store)
            #expect(try await verifier.verify(channel: SyntheticWorld.channelId) == [])
            let manifestPath = channelDir + "/_state/manifest.json"
            let original = try Data(contentsOf: URL(fileURLWithPath: manifestPath))
            var manifest = try JSONDecoder().decode(ExportManifest.self, from: original)
            let victim = channelDir + "/" + manifest.files[1].path
            let victimBytes = try Data(contentsOf: URL(fileURLWithPath: victim))

            // Deleted partition.
            try FileManager.default.removeItem(atPath: victim)
            let deleted = try await verifier.verify(channel: SyntheticWorld.channelId)
            #expect(deleted.contains { $0.contains(manifest.files[1].path) && $0.contains("missing") })

            // Edited partition (one content character changed: same size, other hash).
            var edited = [UInt8](victimBytes)
            let index = try #require(edited.lastIndex(of: UInt8(ascii: "m")))
            edited[index] = UInt8(ascii: "M")
            try Data(edited).write(to: URL(fileURLWithPath: victim))
            let changed = try await verifier.verify(channel: SyntheticWorld.channelId)
            #expect(changed.contains { $0.contains(manifest.files[1].path) && $0.contains("sha256") })
            try victimBytes.write(to: URL(fileURLWithPath: victim))
            #expect(try await verifier.verify(channel: SyntheticWorld.channelId) == [])

            // Two files owning the same messages.
            let copy = "backfill/copy.json"
            try FileManager.default.copyItem(atPath: victim, toPath: channelDir + "/" + copy)
            var duplicate = manifest.files[1]
            duplicate.path = copy
            manifest.files.append(duplicate)
            let encoder = JSONEncoder()
            try encoder.encode(manifest).write(to: URL(fileURLWithPath: manifestPath))
            let doubled = try await verifier.verify(channel: SyntheticWorld.channelId)
            #expect(doubled.contains { $0.contains("both own") })

            // Not owning: fine again, and combine --include-unowned --dedupe still gives each message once.
            manifest.files[manifest.files.count - 1].owns = false
            try encoder.encode(manifest).write(to: URL(fileURLWithPath: manifestPath))
            #expect(try await verifier.verify(channel: SyntheticWorld.channelId) == [])
            var combiner = ExportCombiner(root: root)
            combiner.includeUnowned = true
            combiner.dedupe = true
            #expect(try combiner.combine(channel: SyntheticWorld.channelId, into: dir + "/all.json") == 35)

            // An archived message missing from every file.
            try await Self.addMessages(store, count: 1, start: 1_772_330_000, spacing: 1)
            let missing = try await verifier.verify(channel: SyntheticWorld.channelId)
            #expect(missing.contains { $0.contains("in no owned file") })
        }
    }

    /// Before, `combine` put a damaged file into the combined document unnoticed, and nothing could write a damaged
    /// or lost window again (a rerun only exports past the high-water mark): the channel had to be exported anew.
    @Test func combineRefusesDamagedFilesAndRepairWritesThemAgainFromTheArchive() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            try await SyntheticWorld.populate(store)
            try await Self.addMessages(store, count: 30, start: 1_772_323_200, spacing: 7200)
            var options = ExportHarness.utcOptions()
            options.partition = .messages(4)
            let root = dir + "/out"
            let exporter = WindowedExporter(store: store, options: options, window: .day)
            _ = try await exporter.export(channel: SyntheticWorld.channelId, to: root)
            // A later incremental run, so both kinds of file are damaged below.
            try await Self.addMessages(store, count: 3, start: 1_772_800_000, spacing: 60)
            _ = try await exporter.export(channel: SyntheticWorld.channelId, to: root)
            let channelDir = root + "/channel=\(SyntheticWorld.channelId)"
            let sound = dir + "/sound.json"
            try ExportCombiner(root: root).combine(channel: SyntheticWorld.channelId, into: sound)
            let manifest = try JSONDecoder().decode(
                ExportManifest.self, from: Data(contentsOf: URL(fileURLWithPath: channelDir + "/_state/manifest.json")))
            let edited = manifest.files[1].path
            let lost = try #require(manifest.files.first { $0.kind == "incremental" }?.path)
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: channelDir + "/" + edited)))
            let index = try #require(bytes.lastIndex(of: UInt8(ascii: "m")))
            bytes[index] = UInt8(ascii: "M")
            try Data(bytes).write(to: URL(fileURLWithPath: channelDir + "/" + edited))
            try FileManager.default.removeItem(atPath: channelDir + "/" + lost)

            let combined = dir + "/combined.json"
            #expect {
                try ExportCombiner(root: root).combine(channel: SyntheticWorld.channelId, into: combined)
            } throws: { error in
                "\(error)".contains(edited) && "\(error)".contains("--repair")
            }
            #expect(!FileManager.default.fileExists(atPath: combined))

            let repaired = try await exporter.repair(channel: SyntheticWorld.channelId, in: root)
            #expect(Set(repaired.map(\.path)) == [edited, lost])
            #expect(try await ExportVerifier(root: root, store: store).verify(channel: SyntheticWorld.channelId) == [])
            #expect(try await exporter.repair(channel: SyntheticWorld.channelId, in: root).isEmpty)
            try ExportCombiner(root: root).combine(channel: SyntheticWorld.channelId, into: combined)
            #expect(try ExportHarness.bytes(combined) == ExportHarness.bytes(sound))
        }
    }
}
