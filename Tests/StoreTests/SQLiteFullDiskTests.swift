import ArchiveStore
import DiscordModels
import FileSafety
import Foundation
import TestSupport
import Testing

@testable import SQLiteStore

/// A SQLite archive that runs out of room (`PRAGMA max_page_count` on the writer: SQLite answers `SQLITE_FULL`, as
/// for `ENOSPC`): the failed page leaves nothing behind, neither its messages nor its checkpoint, the error names the
/// file and what to do, and the same page stored once there is room again is stored whole.
@Suite struct SQLiteFullDiskTests {
    @Test func aFullArchiveStoresNothingOfThePageAndSaysWhatToDo() async throws {
        try await TemporaryDirectory.withURL(prefix: "store-full") { directory in
            let path = directory.appendingPathComponent("archive.sqlite").path
            let store = try SQLiteArchiveStore(path: path)
            let first = try Fixture.messages(0..<10)
            try await store.storeMessagePage(
                MessagePage(
                    channelId: Fixture.channel, guildId: nil, messages: first,
                    checkpoint: Self.checkpoint(newest: first.last!.value.id)))
            let pages = try await store.writerTexts("PRAGMA page_count")
            try await store.execute("PRAGMA max_page_count = \(Int(pages[0])! + 1)")

            let second = try Fixture.messages(10..<400)
            let page = MessagePage(
                channelId: Fixture.channel, guildId: nil, messages: second,
                checkpoint: Self.checkpoint(newest: second.last!.value.id))
            let error = try await #require(throws: ArchiveStoreError.self) { try await store.storeMessagePage(page) }
            #expect(error.storageFull?.limit == .noSpace, "\(error)")
            #expect(error.message.contains(path), "\(error.message)")
            #expect(error.message.contains("then run the same command again: it resumes where it stopped"))
            #expect(try await store.messages(in: Fixture.channel, after: nil, limit: 1000).count == 10)
            #expect(try await store.checkpoint(for: Fixture.channel)?.newestArchivedId == first.last!.value.id)

            try await store.execute("PRAGMA max_page_count = 1073741823")
            try await store.storeMessagePage(page)
            #expect(try await store.messages(in: Fixture.channel, after: nil, limit: 1000).count == 400)
            #expect(try await store.checkpoint(for: Fixture.channel)?.newestArchivedId == second.last!.value.id)
        }
    }

    static func checkpoint(newest: Snowflake<Message>) -> ChannelCheckpoint {
        ChannelCheckpoint(
            channelId: Fixture.channel, guildId: nil, backfillComplete: false, oldestArchivedId: Fixture.messageID(0),
            newestArchivedId: newest)
    }
}
