import ArchiveStore
import DiscordModels
import Export
import Foundation
import Testing

/// The export's pipeline: the store's next batch is read while the last one renders, and the file is hashed and
/// written on a thread of its own. Across many batches and chunks the file holds exactly the streamed bytes, its
/// recorded SHA-256 is the file's, and bounds that fall inside a batch end the file where they say.
@Suite struct ExportPipelineTests {
    /// 5,000 messages: three store reads of 2,000 and a file of several writer chunks.
    static let count = 5_000

    @Test func manyBatchesAndChunksWriteTheStreamedBytes() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            try await SyntheticWorld.populate(store)
            try await WindowedExportTests.addMessages(store, count: Self.count, start: 1_772_323_200, spacing: 60)
            let archived = try await store.messageIDs(in: Snowflake(SyntheticWorld.channelId)).map(\.rawValue)
            try #require(archived.count > Self.count)
            let options = ExportHarness.utcOptions()
            let exporter = DCEExporter(store: store, options: options)
            let files = try await exporter.exportChannels([Snowflake(SyntheticWorld.channelId)], to: dir + "/out")
            let file = try #require(files.first)
            #expect(files.count == 1)
            #expect(file.facts.messageCount == archived.count)
            let bytes = try ExportHarness.bytes(file.path)
            #expect(file.facts.bytes == bytes.count)
            #expect(file.facts.sha256 == (try Self.sha256sum(file.path)))
            var streamed: [UInt8] = []
            try await exporter.streamChannel(Snowflake(SyntheticWorld.channelId)) { streamed += $0 }
            #expect(streamed == bytes)
            let node = try JSONValue.parse(bytes)
            #expect(node["messages"]?.elements.compactMap { $0["id"]?.uint64 } == archived)
        }
    }

    @Test func boundsInsideABatchEndTheFileThere() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let store = try ExportHarness.store(in: dir)
            try await SyntheticWorld.populate(store)
            try await WindowedExportTests.addMessages(store, count: Self.count, start: 1_772_323_200, spacing: 60)
            let archived = try await store.messageIDs(in: Snowflake(SyntheticWorld.channelId)).map(\.rawValue)
            // After the 1,000th, before the 4,500th: the second read is full and ends before the bound, the
            // third crosses it.
            var options = ExportHarness.utcOptions()
            options.after = archived[999]
            options.before = archived[4_499]
            let files = try await DCEExporter(store: store, options: options)
                .exportChannels([Snowflake(SyntheticWorld.channelId)], to: dir + "/out")
            let node = try JSONValue.parse(ExportHarness.bytes(try #require(files.first).path))
            #expect(node["messages"]?.elements.compactMap { $0["id"]?.uint64 } == Array(archived[1_000..<4_499]))
        }
    }

    /// `sha256sum`'s digest of a file (lowercase hex).
    static func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }
}
