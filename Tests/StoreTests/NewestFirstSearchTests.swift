import ArchiveStore
import DiscordModels
import Foundation
import TestSupport
import Testing

@testable import SQLiteStore

/// Newest-first search takes two ways on SQLite and on PostgreSQL: a rare text through its matches (the FTS5
/// table, the GIN index), a common one by walking messages newest first and testing each (SQLite: at least
/// `commonMatches` hits; PostgreSQL: a page found among the `walkedRows` newest rows). Both give the same pages.
@Suite struct NewestFirstSearchTests {
    static let backends = [StoreBackend.sqliteFile] + (TestPostgres.isWanted ? [.postgres] : [])

    @Test(arguments: backends) func commonAndRareWordsPageNewestFirst(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let count = SQLiteArchiveStore.commonMatches + 500
            let messages = try (0..<count).map { index in
                try Fixture.message(
                    index, content: "common chatter \(index % 1000 == 7 ? "rarebird" : "")",
                    author: 5001 + UInt64(index % 7), authorName: "user\(index % 7)")
            }
            // Newest pages first, as a backfill stores them: row order is not id order.
            for start in stride(from: count, to: 0, by: -500).map({ max($0 - 500, 0) }) {
                try await store.storeMessagePage(
                    MessagePage(
                        channelId: Fixture.channel, guildId: Fixture.guild,
                        messages: Array(messages[start..<min(start + 500, count)])))
            }
            let ids = (0..<count).map(Fixture.messageID)
            let common = MessageSearch(words: ["common"])
            let rare = MessageSearch(words: ["rarebird"])
            #expect(try await store.search(common, before: nil, limit: 5).map(\.id) == ids.suffix(5).reversed())
            #expect(
                try await store.search(common, before: ids[100], limit: 3).map(\.id) == [ids[99], ids[98], ids[97]])
            var byAuthor = common
            byAuthor.authors = [Snowflake(5003)]
            let expected = (0..<count).filter { $0 % 7 == 2 }.suffix(4).reversed().map { ids[$0] }
            #expect(try await store.search(byAuthor, before: nil, limit: 4).map(\.id) == expected)
            let rareIDs = (0..<count).filter { $0 % 1000 == 7 }.reversed().map { ids[$0] }
            #expect(try await store.search(rare, before: nil, limit: 100).map(\.id) == rareIDs)
            var both = common
            both.words = ["common", "rarebird"]
            #expect(try await store.search(both, before: ids[2000], limit: 100).map(\.id) == [ids[1007], ids[7]])
        }
    }
}
