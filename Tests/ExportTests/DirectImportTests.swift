import ArchiveStore
import DiscordModels
import Export
import Foundation
import Testing

/// Imports written straight into the archive in one transaction agree with staged ones, including for the files
/// that must go through the stage: a message id repeated in one file, `exportedAt` after the messages.
@Suite("DCE imports written directly")
struct DirectImportTests {
    static let channel = Snowflake<Channel>(555_691_597_103_104_002)

    /// A minimal DCE document: `head` members, then the messages, then `tail` members.
    static func document(head: String, messages: [(id: String, content: String)], tail: String = "") -> String {
        let list = messages.map {
            #"{"id":"\#($0.id)","timestamp":"2026-01-01T00:00:00+00:00","content":"\#($0.content)"}"#
        }
        return
            #"{"guild":{"id":"1","name":"g"},"channel":{"id":"\#(channel.rawValue)","type":"GuildTextChat","name":"c"},"#
            + head + #""messages":["# + list.joined(separator: ",") + "]" + tail + "}"
    }

    static func write(_ text: String, to path: String) throws -> String {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func content(_ store: some ArchiveStore, _ id: UInt64) async throws -> String? {
        let messages = try await store.importedMessages(in: channel, after: nil, limit: 10)
        let json = try #require(messages.first { $0.id.rawValue == id }).json
        return try JSONValue.parse(json)["content"]?.string
    }

    @Test func manyMessagesImportAcrossBatchesAndAgainUnchanged() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let messages = (1...25).map { (id: String(100 + $0), content: "m\($0)") }
            let path = try Self.write(
                Self.document(head: #""exportedAt":"2026-01-02T00:00:00+00:00","#, messages: messages),
                to: dir + "/a.json")
            let store = try ExportHarness.store(in: dir)
            var importer = DCEImporter(store: store)
            importer.batchSize = 4
            let first = try await importer.importFile(path)
            #expect(first.messages == 25)
            #expect(first.result == ImportResult(inserted: 25))
            let again = try await importer.importFile(path)
            #expect(again.result == ImportResult(unchanged: 25))
            #expect(try await store.messageSources(of: Snowflake(101), in: Self.channel) == [path])
            #expect(try await store.importedMessages(in: Self.channel, after: nil, limit: 100).count == 25)
        }
    }

    /// The direct import lets new rows wait for the full-text index across batches (16,384 of them, then at the
    /// file's end): a file longer than that is searchable from its first message to its last.
    @Test func aLongFileIsSearchableToItsLastMessage() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let messages = (1...16_500).map { (id: String(100 + $0), content: "w\($0) lantern") }
            let path = try Self.write(Self.document(head: "", messages: messages), to: dir + "/a.json")
            let store = try ExportHarness.store(in: dir)
            var importer = DCEImporter(store: store)
            importer.batchSize = 1_000
            #expect(try await importer.importFile(path).result == ImportResult(inserted: 16_500))
            for word in ["w1", "w16384", "w16385", "w16500"] {
                let found = try await store.searchImported(MessageSearch(words: [word]), before: nil, limit: 5)
                #expect(found.map(\.id) == [Snowflake(100 + UInt64(word.dropFirst())!)], "\(word)")
            }
            let lanterns = try await store.searchImported(MessageSearch(words: ["lantern"]), before: nil, limit: 3)
            #expect(lanterns.map(\.id) == [16_600, 16_599, 16_598].map { Snowflake($0) })
        }
    }

    @Test func aRepeatedIdKeepsTheFilesLaterVersionAsAStageDoes() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let path = try Self.write(
                Self.document(
                    head: #""exportedAt":"2026-01-02T00:00:00+00:00","#,
                    messages: [("10", "first"), ("11", "other"), ("10", "second")]),
                to: dir + "/a.json")
            let store = try ExportHarness.store(in: dir)
            let outcome = try await DCEImporter(store: store).importFile(path)
            #expect(outcome.messages == 3)
            #expect(outcome.result == ImportResult(inserted: 2))
            #expect(try await Self.content(store, 10) == "second")
            #expect(try await store.importedRevisions(of: Snowflake(10), in: Self.channel).isEmpty)
        }
    }

    @Test func exportedAtAfterTheMessagesStillDecidesTies() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            // The later export (its `exportedAt` written after the messages) holds "new"; the earlier one "old".
            let later = try Self.write(
                Self.document(
                    head: "", messages: [("10", "new")], tail: #","exportedAt":"2026-02-01T00:00:00+00:00""#),
                to: dir + "/later.json")
            let earlier = try Self.write(
                Self.document(head: #""exportedAt":"2026-01-01T00:00:00+00:00","#, messages: [("10", "old")]),
                to: dir + "/earlier.json")
            let store = try ExportHarness.store(in: dir)
            let importer = DCEImporter(store: store)
            #expect(try await importer.importFile(later).result == ImportResult(inserted: 1))
            #expect(try await importer.importFile(earlier).result == ImportResult(older: 1))
            #expect(try await Self.content(store, 10) == "new")
        }
    }

    /// A byte that is not UTF-8 (a lead byte without its continuation) in the second message — inside a string,
    /// inside a key, outside any string — fails the import and leaves nothing, as the REST path's page does.
    @Test(arguments: [
        (#""content":"b"#, #"""#), (#""con"#, #"tent":"b""#), (#""content":"b","n":1"#, ""),
    ])
    func invalidUTF8LeavesNothing(before: String, after: String) async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let text = Self.document(head: "", messages: [("10", "a"), ("11", "b")])
            let parts = text.components(separatedBy: #""content":"b""#)
            #expect(parts.count == 2)
            let bytes = Array((parts[0] + before).utf8) + [0xC3, 0x28] + Array((after + parts[1]).utf8)
            let path = dir + "/bad.json"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let store = try ExportHarness.store(in: dir)
            await #expect(throws: ExportError.self) { try await DCEImporter(store: store).importFile(path) }
            #expect(try await store.importedMessages(in: Self.channel, after: nil, limit: 10).isEmpty)
            #expect(try await store.importedChannels().isEmpty)
        }
    }

    @Test func aMalformedMessageLeavesNothingAndNamesTheByte() async throws {
        try await ExportHarness.withTemporaryDirectory { dir in
            let good = Self.document(head: "", messages: [("10", "a"), ("11", "b")])
            let path = try Self.write(
                good.replacingOccurrences(of: #""content":"b""#, with: #""content":b"#), to: dir + "/bad.json")
            let store = try ExportHarness.store(in: dir)
            await #expect {
                try await DCEImporter(store: store).importFile(path)
            } throws: { error in
                (error as? ExportError)?.message.contains("byte") ?? false
            }
            #expect(try await store.importedMessages(in: Self.channel, after: nil, limit: 10).isEmpty)
            #expect(try await store.importedChannels().isEmpty)
        }
    }
}
