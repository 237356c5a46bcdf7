import ArchiveStore
import DiscordModels
import Foundation
import TestSupport
import Testing

@testable import SQLiteStore

/// A direct import's checkpoint runs behind it, on a thread of its own, instead of in its commit: the writer's
/// `wal_autocheckpoint` is back after each file, and once `close()` returns the archive's file itself (without its
/// WAL) holds every imported message.
@Suite struct SQLiteImportCheckpointTests {
    /// A file of `count` messages (ids from `first` on), handed over in batches of 100.
    final class ManyMessages: ImportMessageSource, @unchecked Sendable {
        let first: Int
        let count: Int
        private var next = 0

        init(first: Int, count: Int) {
            self.first = first
            self.count = count
        }

        var source: String { "export-\(first).json" }
        var exportedAt: Date? { nil }

        func nextBatch() throws -> [ImportedMessage]? {
            guard next < count else { return nil }
            let batch = (next..<min(next + 100, count)).map { index in
                let id = Fixture.messageID(first + index)
                return ImportedMessage(
                    id: id, channelId: Fixture.channel, guildId: nil, timestamp: nil,
                    json: Data(#"{"id":"\#(id)","content":"\#(String(repeating: "x", count: 200))"}"#.utf8))
            }
            next += batch.count
            return batch
        }

        func channelHeader() throws -> ImportedChannel {
            ImportedChannel(
                channelId: Fixture.channel, guildId: nil, guildJSON: Data("null".utf8),
                channelJSON: Data(#"{"id":"\#(Fixture.channel)"}"#.utf8), source: source, importedAt: Date(),
                exportedAt: nil)
        }
    }

    @Test func theCheckpointRunsBehindTheImportAndCloseWaitsForIt() async throws {
        try await TemporaryDirectory.withURL(prefix: "store-tests") { directory in
            let path = directory.appendingPathComponent("archive.sqlite").path
            let store = try SQLiteArchiveStore(path: path)
            let autocheckpoint = try await store.writerTexts("PRAGMA wal_autocheckpoint")
            for file in 0..<3 {
                let result = try await store.importDirectly(ManyMessages(first: file * 1_000, count: 1_000))
                #expect(result == ImportResult(inserted: 1_000))
                #expect(try await store.writerTexts("PRAGMA wal_autocheckpoint") == autocheckpoint)
            }
            await store.close()
            // Far below the writer's own checkpoint threshold: only the import's checkpoints copied these back.
            let copy = directory.appendingPathComponent("copy.sqlite").path
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            let alone = try SQLiteArchiveStore(path: copy)
            #expect(try await alone.texts("SELECT COUNT(*) FROM imported_message") == ["3000"])
            #expect(try await alone.texts("SELECT COUNT(*) FROM message_source") == ["3000"])
        }
    }

    /// Past the limit an import waits for the copy behind it and finishes it first: the WAL starts again at each
    /// file instead of growing by one file per import.
    @Test func pastItsLimitTheWALStartsAgainAtEachFile() async throws {
        try await TemporaryDirectory.withURL(prefix: "store-tests") { directory in
            let path = directory.appendingPathComponent("archive.sqlite").path
            let store = try SQLiteArchiveStore(path: path)
            let checkpoints = try #require(store.importCheckpoints)
            checkpoints.walLimit = 0
            var sizes: [Int] = []
            for file in 0..<3 {
                _ = try await store.importDirectly(ManyMessages(first: file * 1_000, count: 1_000))
                let wal = try FileManager.default.attributesOfItem(atPath: path + "-wal")
                sizes.append(try #require(wal[.size] as? Int))
            }
            // Each file writes as many frames; started again, the WAL keeps the first file's size.
            #expect(sizes[1] <= sizes[0] + 65_536)
            #expect(sizes[2] <= sizes[0] + 65_536)
            await store.close()
            #expect(try await SQLiteArchiveStore(path: path).texts("SELECT COUNT(*) FROM imported_message") == ["3000"])
        }
    }

    @Test func aFileRefusedMidwayLeavesTheWriterAsItWas() async throws {
        try await TemporaryDirectory.withURL(prefix: "store-tests") { directory in
            let store = try SQLiteArchiveStore(path: directory.appendingPathComponent("archive.sqlite").path)
            let autocheckpoint = try await store.writerTexts("PRAGMA wal_autocheckpoint")
            await #expect(throws: Broken.self) { try await store.importDirectly(BrokenFile()) }
            #expect(try await store.writerTexts("PRAGMA wal_autocheckpoint") == autocheckpoint)
            #expect(try await store.texts("SELECT COUNT(*) FROM imported_message") == ["0"])
            let result = try await store.importDirectly(ManyMessages(first: 0, count: 10))
            #expect(result == ImportResult(inserted: 10))
        }
    }

    struct Broken: Error {}

    /// A file whose second batch is malformed: nothing of it may stay.
    final class BrokenFile: ImportMessageSource, @unchecked Sendable {
        private let messages = ManyMessages(first: 0, count: 100)
        private var batches = 0
        var source: String { "broken.json" }
        var exportedAt: Date? { nil }

        func nextBatch() throws -> [ImportedMessage]? {
            batches += 1
            if batches > 1 { throw Broken() }
            return try messages.nextBatch()
        }

        func channelHeader() throws -> ImportedChannel { try messages.channelHeader() }
    }
}
